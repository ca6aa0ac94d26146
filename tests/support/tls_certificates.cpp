#include "support/tls_certificates.hpp"

#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "support/process.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

namespace fs = std::filesystem;

constexpr auto kOpensslTimeout = std::chrono::seconds(30);
constexpr const char* kValidDays = "2";

void write_file(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

// The openssl command. Subjects and extensions come from configuration files
// written here (-config, -extfile), never from the system's openssl.cnf.
void openssl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "openssl");
  ProcessOptions options;
  options.timeout = kOpensslTimeout;
  run_process_checked(arguments, options);
}

std::vector<std::string> new_ec_key(const fs::path& key) {
  return {"-newkey", "ec",      "-pkeyopt",  "ec_paramgen_curve:prime256v1",
          "-nodes",  "-keyout", key.string()};
}

}  // namespace

TlsCertificates::TlsCertificates() : directory_(make_temp_directory("tls")) {
  try {
    make_ca("ca", "riot test CA");
    make_ca("other-ca", "riot unrelated test CA");
    make_certificate("server", "localhost", "serverAuth", "DNS:localhost, IP:127.0.0.1, IP:::1");
    make_certificate("wrong-name", "wrong.example", "serverAuth", "DNS:wrong.example");
    make_certificate("client", "riot test client", "clientAuth", "");
    encrypt_client_key();
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
    throw;
  }
}

TlsCertificates::~TlsCertificates() {
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

RedisServerTls TlsCertificates::server_tls(bool auth_clients) const {
  RedisServerTls tls;
  tls.cert_file = server_cert();
  tls.key_file = server_key();
  tls.ca_file = ca_cert();
  tls.auth_clients = auth_clients;
  tls.client_cert_file = client_cert();
  tls.client_key_file = client_key();
  return tls;
}

RedisServerTls TlsCertificates::wrong_name_server_tls() const {
  RedisServerTls tls = server_tls();
  tls.cert_file = wrong_name_cert();
  tls.key_file = wrong_name_key();
  return tls;
}

void TlsCertificates::make_ca(const std::string& name, const std::string& common_name) const {
  const fs::path config = directory_ / (name + ".cnf");
  write_file(config,
             "[req]\n"
             "prompt = no\n"
             "distinguished_name = subject\n"
             "x509_extensions = ca\n"
             "[subject]\n"
             "CN = " +
                 common_name +
                 "\n"
                 "[ca]\n"
                 "basicConstraints = critical, CA:TRUE\n"
                 "keyUsage = critical, keyCertSign, cRLSign\n"
                 "subjectKeyIdentifier = hash\n");
  std::vector<std::string> arguments{
      "req",   "-x509",    "-config", config.string(),
      "-days", kValidDays, "-out",    (directory_ / (name + ".crt")).string()};
  for (auto& argument : new_ec_key(directory_ / (name + ".key"))) arguments.push_back(argument);
  openssl(arguments);
}

void TlsCertificates::make_certificate(const std::string& name, const std::string& common_name,
                                       const std::string& usage,
                                       const std::string& alt_names) const {
  const fs::path request_config = directory_ / (name + "-request.cnf");
  write_file(request_config,
             "[req]\n"
             "prompt = no\n"
             "distinguished_name = subject\n"
             "[subject]\n"
             "CN = " +
                 common_name + "\n");
  const fs::path request = directory_ / (name + ".csr");
  std::vector<std::string> arguments{"req",  "-new",          "-config", request_config.string(),
                                     "-out", request.string()};
  for (auto& argument : new_ec_key(directory_ / (name + ".key"))) arguments.push_back(argument);
  openssl(arguments);

  const fs::path extensions = directory_ / (name + ".ext");
  write_file(extensions,
             "[leaf]\n"
             "basicConstraints = critical, CA:FALSE\n"
             "keyUsage = critical, digitalSignature, keyEncipherment\n"
             "extendedKeyUsage = " +
                 usage + "\n" + (alt_names.empty() ? "" : "subjectAltName = " + alt_names + "\n") +
                 "authorityKeyIdentifier = keyid\n");
  openssl({"x509", "-req", "-in", request.string(), "-CA", ca_cert().string(), "-CAkey",
           (directory_ / "ca.key").string(), "-CAcreateserial", "-CAserial",
           (directory_ / "ca.srl").string(), "-days", kValidDays, "-extfile", extensions.string(),
           "-extensions", "leaf", "-out", (directory_ / (name + ".crt")).string()});
}

void TlsCertificates::encrypt_client_key() const {
  openssl({"pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", client_key().string(), "-out",
           encrypted_client_key().string(), "-passout", std::string("pass:") + kClientKeyPassword});
}

}  // namespace riot::test
