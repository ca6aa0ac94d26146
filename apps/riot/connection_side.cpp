#include "connection_side.hpp"

#include <filesystem>
#include <utility>

#include "option_values.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/uri.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

// Parsed now, so that a malformed URI is a usage error before anything
// loads or connects. The document keeps the text as written.
std::string read_uri(const po::variables_map& values, const std::string& argument,
                     const char* role) {
  const std::string text = values[argument].as<std::string>();
  try {
    (void)redis::Uri::parse(text);
  } catch (const redis::UriError& error) {
    throw CommandLineError(std::string(role) + ": " + error.what());
  }
  return text;
}

// A file option, made absolute so that a printed pipeline runs from any
// directory.
std::optional<std::string> read_file_option(const po::variables_map& values,
                                            const std::string& option) {
  auto file = read_optional(values, option);
  if (file && file->empty())
    throw CommandLineError("invalid value '' for --" + option + ": expected a file");
  if (file) file = std::filesystem::absolute(*file).string();
  return file;
}

// A side's TLS options as given; check_tls_side judges them together.
TlsSide read_tls_side(const po::variables_map& values, const std::string& side_name) {
  const auto option = [&](const char* suffix) { return side_name + "-" + suffix; };
  TlsSide tls;
  tls.tls = values[option("tls")].as<bool>();
  tls.insecure = values[option("insecure")].as<bool>();
  if (option_given(values, option("tls-verify"))) {
    const std::string verify = lowercase(values[option("tls-verify")].as<std::string>());
    if (!redis::parse_tls_verify(verify))
      throw CommandLineError("invalid value '" + verify + "' for --" + option("tls-verify") +
                             ": expected full, ca or none");
    tls.tls_verify = verify;
  }
  tls.cacert = read_file_option(values, option("cacert"));
  tls.cert = read_file_option(values, option("cert"));
  tls.key = read_file_option(values, option("key"));
  tls.key_password = read_key_password(values, side_name, tls.key.has_value());
  return tls;
}

// Options that contradict each other, and options that TLS would never see
// (TLS off), stop the command: the user meant to encrypt or to authenticate,
// and would not be.
void check_tls_side(const TlsSide& tls, const std::string& side_name, const std::string& uri,
                    const char* role) {
  const auto option = [&](const char* suffix) { return side_name + "-" + suffix; };
  if (tls.insecure && tls.tls_verify && *tls.tls_verify != "none")
    throw CommandLineError("--" + option("insecure") + " contradicts --" + option("tls-verify") +
                           " " + *tls.tls_verify);
  if (tls.cert.has_value() != tls.key.has_value())
    throw CommandLineError("--" + option("cert") + " and --" + option("key") +
                           " go together: a client certificate needs its private key");
  const redis::Scheme scheme = redis::Uri::parse(uri).scheme;
  if (tls.tls && scheme == redis::Scheme::unix_socket)
    throw CommandLineError("--" + option("tls") + ": TLS is not available over a Unix socket");
  if (tls.tls || scheme == redis::Scheme::tls) return;
  const std::pair<const char*, bool> given[] = {
      {"insecure", tls.insecure},         {"tls-verify", tls.tls_verify.has_value()},
      {"cacert", tls.cacert.has_value()}, {"cert", tls.cert.has_value()},
      {"key", tls.key.has_value()},       {"key-pwd", tls.key_password.has_value()}};
  for (const auto& [suffix, is_given] : given)
    if (is_given)
      throw CommandLineError("--" + option(suffix) + " needs TLS: use a rediss:// " + role +
                             " URI or --" + option("tls"));
}

bool uri_holds_password(const std::string& uri) {
  try {
    return !redis::Uri::parse(uri).password.empty();
  } catch (const redis::UriError&) {
    return false;
  }
}

}  // namespace

bool ConnectionSide::holds_password() const {
  if (password && password->typed_in()) return true;
  if (tls.key_password && tls.key_password->typed_in()) return true;
  if (sentinel.holds_password()) return true;
  return uri_holds_password(uri);
}

ConnectionSide read_connection_side(const po::variables_map& values, const std::string& side_name,
                                    const char* role) {
  ConnectionSide side;
  side.uri = read_uri(values, side_name, role);
  side.user = read_optional(values, side_name + "-user");
  side.password = read_password(values, side_name, uri_holds_password(side.uri));
  side.client_name = read_optional(values, side_name + "-client-name");
  side.cluster = values[side_name + "-cluster"].as<bool>();
  side.tls = read_tls_side(values, side_name);
  check_tls_side(side.tls, side_name, side.uri, role);
  side.sentinel = read_sentinel_side(values, side_name, side.uri, role);
  return side;
}

void require_readable_tls_files(const ConnectionSide& side, const std::string& side_name) {
  const std::pair<const char*, const std::optional<std::string>&> files[] = {
      {"cacert", side.tls.cacert}, {"cert", side.tls.cert}, {"key", side.tls.key}};
  for (const auto& [suffix, file] : files)
    if (file) require_readable_file(side_name + "-" + suffix, *file);
}

}  // namespace riot::app
