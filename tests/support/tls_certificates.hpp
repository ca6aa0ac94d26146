#pragma once
// A throw-away public key infrastructure for the TLS tests, made at test time
// with the openssl command in a temporary directory (removed with the object):
// a CA, certificates it signs for a server and a client, and an unrelated CA.
// Keys are EC P-256: quick to generate, and what managed services use too.

#include <filesystem>
#include <string>

#include "support/redis_server.hpp"

namespace riot::test {

class TlsCertificates {
 public:
  TlsCertificates();  // generates everything; throws with openssl's output on failure
  ~TlsCertificates();
  TlsCertificates(const TlsCertificates&) = delete;
  TlsCertificates& operator=(const TlsCertificates&) = delete;

  const std::filesystem::path& directory() const { return directory_; }

  // The CA that signs everything below.
  std::filesystem::path ca_cert() const { return directory_ / "ca.crt"; }
  // A second CA, unrelated: trusting it verifies none of the certificates here.
  std::filesystem::path other_ca_cert() const { return directory_ / "other-ca.crt"; }

  // For localhost, 127.0.0.1 and ::1.
  std::filesystem::path server_cert() const { return directory_ / "server.crt"; }
  std::filesystem::path server_key() const { return directory_ / "server.key"; }
  // For "wrong.example" only: the chain verifies, the name does not match.
  std::filesystem::path wrong_name_cert() const { return directory_ / "wrong-name.crt"; }
  std::filesystem::path wrong_name_key() const { return directory_ / "wrong-name.key"; }

  // A client certificate (clientAuth) and its key, PKCS#8 in clear...
  std::filesystem::path client_cert() const { return directory_ / "client.crt"; }
  std::filesystem::path client_key() const { return directory_ / "client.key"; }
  // ...and the same key as encrypted PKCS#8 (AES-256), with its password.
  std::filesystem::path encrypted_client_key() const { return directory_ / "client-encrypted.key"; }
  static constexpr const char* kClientKeyPassword = "s3cret pass phrase";

  // A redis-server's TLS settings with the server certificate (or the
  // wrong-name one), trusting the CA for client certificates; the tests' own
  // clients present the client certificate.
  RedisServerTls server_tls(bool auth_clients = false) const;
  RedisServerTls wrong_name_server_tls() const;

 private:
  void make_ca(const std::string& name, const std::string& common_name) const;
  void make_certificate(const std::string& name, const std::string& common_name,
                        const std::string& usage, const std::string& alt_names) const;
  void encrypt_client_key() const;

  std::filesystem::path directory_;
};

}  // namespace riot::test
