#include "riot/redis/connection_options.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <utility>

#include "riot/redis/errors.hpp"
#include "socket_io.hpp"

namespace riot::redis {
namespace {

using nlohmann::json;

// Defaults, shared by the struct's initialisers and the schema.
const ConnectionOptions kDefaults{};

struct TlsVerifyName {
  TlsVerify verify;
  std::string_view name;
};
constexpr std::array kTlsVerifyNames{TlsVerifyName{TlsVerify::full, "full"},
                                     TlsVerifyName{TlsVerify::ca, "ca"},
                                     TlsVerifyName{TlsVerify::none, "none"}};

class ConfigReader {
 public:
  ConfigReader(const json& config, std::string_view role) : config_(config), role_(role) {}

  const json* find(std::string_view key) const {
    if (!config_.is_object()) fail("", "the connection settings must be a JSON object");
    const auto found = config_.find(key);
    return found == config_.end() || found->is_null() ? nullptr : &*found;
  }

  // A string when present; `fallback` when absent.
  std::string string(std::string_view key, std::string fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_string()) fail(key, "must be a string, not " + std::string(value->type_name()));
    return value->get<std::string>();
  }

  // A boolean when present; `fallback` when absent.
  bool boolean(std::string_view key, bool fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_boolean())
      fail(key, "must be true or false, not " + std::string(value->type_name()));
    return value->get<bool>();
  }

  // An integer of at least 1 when present; `fallback` when absent.
  std::int64_t positive(std::string_view key, std::int64_t fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    // Parsed JSON holds positive numbers as unsigned, JSON built in code as
    // signed: both are accepted.
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()} &&
        value->get<std::uint64_t>() >= 1)
      return value->get<std::int64_t>();
    if (value->is_number_integer() && !value->is_number_unsigned() &&
        value->get<std::int64_t>() >= 1)
      return value->get<std::int64_t>();
    fail(key, "must be an integer of at least 1, not " + value->dump());
  }

  [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
    throw std::invalid_argument(where(key) + ": " + problem);
  }

  // "target connection setting 'tls'": what messages about `key` start with.
  std::string where(std::string_view key) const {
    std::string text =
        role_.empty() ? "connection setting" : std::string(role_) + " connection setting";
    if (!key.empty()) text += " '" + std::string(key) + "'";
    return text;
  }

 private:
  const json& config_;
  std::string_view role_;
};

TlsVerify read_tls_verify(const ConfigReader& reader) {
  const std::string text = reader.string("tls_verify", std::string(to_string(TlsVerify::full)));
  const auto verify = parse_tls_verify(text);
  if (!verify) reader.fail("tls_verify", "must be full, ca or none, not '" + text + "'");
  return *verify;
}

// A certificate or key file that cannot be read is a mistake in the
// configuration, found before anything connects (and by `riot validate`),
// not a failure of the run. The file's content is never quoted.
void check_readable(const ConfigReader& reader, std::string_view key, const std::string& path) {
  if (path.empty()) return;
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error))
    reader.fail(key, "'" + path + "' is a directory, not a PEM file");
  if (::access(path.c_str(), R_OK) != 0)
    reader.fail(key, "cannot read '" + path + "': " + detail::errno_text(errno));
}

// The TLS settings, checked as a whole: a half of a key pair, or a TLS
// setting on a connection without TLS, is a mistake worth stopping for (the
// user meant to encrypt, or to authenticate, and would not be).
TlsOptions read_tls(const ConfigReader& reader, Scheme scheme) {
  TlsOptions tls;
  tls.enabled = reader.boolean("tls", kDefaults.tls.enabled);
  tls.verify = reader.boolean("insecure", false) ? TlsVerify::none : read_tls_verify(reader);
  tls.ca_file = reader.string("cacert", "");
  tls.cert_file = reader.string("cert", "");
  tls.key_file = reader.string("key", "");
  tls.key_password = reader.string("key_password", "");
  tls.server_name = reader.string("sni", "");

  if (tls.cert_file.empty() != tls.key_file.empty())
    reader.fail(tls.cert_file.empty() ? "key" : "cert",
                "a client certificate goes with its private key: set both 'cert' and 'key', or "
                "neither");
  if (!tls.key_password.empty() && tls.key_file.empty())
    reader.fail("key_password", "decrypts the private key of 'key', which is not set");
  if (tls.enabled && scheme == Scheme::unix_socket)
    reader.fail("tls", "TLS runs over TCP only: a redis-socket:// URI cannot use it");
  if (tls.enabled || scheme == Scheme::tls) {
    check_readable(reader, "cacert", tls.ca_file);
    check_readable(reader, "cert", tls.cert_file);
    check_readable(reader, "key", tls.key_file);
    return tls;
  }
  const std::pair<std::string_view, bool> settings[] = {
      {"insecure", reader.boolean("insecure", false)},
      {"tls_verify", tls.verify != TlsVerify::full},
      {"cacert", !tls.ca_file.empty()},
      {"cert", !tls.cert_file.empty()},
      {"key", !tls.key_file.empty()},
      {"key_password", !tls.key_password.empty()},
      {"sni", !tls.server_name.empty()}};
  for (const auto& [key, set] : settings)
    if (set) reader.fail(key, "needs TLS, which is off: use a rediss:// URI or set 'tls' to true");
  return tls;
}

// The sentinel settings, and the master's name, which a sentinel URI must
// end up with one way or the other.
void read_sentinel(const ConfigReader& reader, ConnectionOptions& options) {
  Uri& uri = options.uri;
  const std::string master = reader.string("sentinel_master", "");
  if (!master.empty() && !uri.is_sentinel()) {
    if (uri.scheme == Scheme::unix_socket)
      reader.fail("sentinel_master", "needs the sentinels' host:port, not a socket path, in 'uri'");
    uri.sentinels.push_back({uri.host, uri.port});
  }
  if (!master.empty()) uri.sentinel_master = master;
  options.sentinel.user = reader.string("sentinel_user", "");
  options.sentinel.password = reader.string("sentinel_password", "");
  if (uri.is_sentinel() && uri.sentinel_master.empty())
    reader.fail("uri", "'" + uri.to_string() +
                           "' names no master: add ?master=NAME to the URI or set "
                           "'sentinel_master'");
  if (!uri.is_sentinel()) {
    if (!options.sentinel.user.empty())
      reader.fail("sentinel_user", "needs a redis-sentinel:// URI or 'sentinel_master'");
    if (!options.sentinel.password.empty())
      reader.fail("sentinel_password", "needs a redis-sentinel:// URI or 'sentinel_master'");
  }
}

}  // namespace

std::string_view to_string(TlsVerify verify) {
  for (const auto& [value, name] : kTlsVerifyNames)
    if (value == verify) return name;
  return "full";
}

std::optional<TlsVerify> parse_tls_verify(std::string_view text) {
  for (const auto& [value, name] : kTlsVerifyNames)
    if (name == text) return value;
  return std::nullopt;
}

std::string ConnectionOptions::describe() const {
  return role.empty() ? uri.endpoint() : role + " " + uri.endpoint();
}

ConnectionOptions ConnectionOptions::from_config(const nlohmann::json& config,
                                                 std::string_view role) {
  const ConfigReader reader(config, role);
  const json* uri_value = reader.find("uri");
  if (uri_value == nullptr || !uri_value->is_string())
    reader.fail("uri", "is required: a string such as redis://127.0.0.1:6379");

  ConnectionOptions options;
  options.role = std::string(role);
  try {
    options.uri = Uri::parse(uri_value->get<std::string>());
  } catch (const UriError& error) {
    // The URI's message masks its password; it gains the setting's name.
    throw UriError(reader.where("uri") + ": " + error.what());
  }
  // Given apart from the URI (from --source-pass, say), they win over it.
  if (std::string user = reader.string("user", ""); !user.empty()) options.uri.user = user;
  if (std::string password = reader.string("password", ""); !password.empty())
    options.uri.password = password;
  options.client_name = reader.string("client_name", kDefaults.client_name);
  options.connect_timeout = std::chrono::milliseconds(
      reader.positive("connect_timeout_ms", kDefaults.connect_timeout.count()));
  options.command_timeout = std::chrono::milliseconds(
      reader.positive("command_timeout_ms", kDefaults.command_timeout.count()));
  options.pipeline_window = static_cast<std::size_t>(
      reader.positive("pipeline_window", static_cast<std::int64_t>(kDefaults.pipeline_window)));
  options.tls = read_tls(reader, options.uri.scheme);
  read_sentinel(reader, options);
  return options;
}

nlohmann::json ConnectionOptions::connection_schema_properties() {
  return {
      {"uri",
       {{"type", "string"},
        {"minLength", 1},
        {"description",
         "Redis server: redis://[[user]:password@]host[:port][/db], rediss://... for TLS, "
         "redis-socket:///path/to.sock[?db=N], or the Redis Sentinels that watch it: "
         "redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]?master=NAME "
         "(rediss-sentinel:// for TLS; the credentials are the server's)"}}},
      {"user",
       {{"type", "string"},
        {"description", "ACL user name; overrides the one in the URI when not empty"}}},
      {"password",
       {{"type", "string"},
        {"description", "password for AUTH; overrides the one in the URI when not empty"}}},
      {"sentinel_master",
       {{"type", "string"},
        {"description",
         "name of the master the sentinels watch; overrides ?master= of a redis-sentinel:// URI, "
         "or makes the host of a redis:// URI a sentinel"}}},
      {"sentinel_user",
       {{"type", "string"},
        {"description",
         "ACL user for AUTH on the sentinels (not the servers: those take the URI's)"}}},
      {"sentinel_password",
       {{"type", "string"},
        {"description", "password for AUTH on the sentinels (sentinel requirepass)"}}},
      {"client_name",
       {{"type", "string"},
        {"default", kDefaults.client_name},
        {"description", "name given with CLIENT SETNAME (shown by CLIENT LIST); empty to skip"}}},
      {"connect_timeout_ms",
       {{"type", "integer"},
        {"minimum", 1},
        {"default", kDefaults.connect_timeout.count()},
        {"description", "time allowed to connect and authenticate, in milliseconds"}}},
      {"command_timeout_ms",
       {{"type", "integer"},
        {"minimum", 1},
        {"default", kDefaults.command_timeout.count()},
        {"description",
         "longest wait for the server to answer during a command or pipeline, in milliseconds"}}},
      {"cluster",
       {{"type", "boolean"},
        {"description",
         "true: the server is a Redis Cluster (refused if it says otherwise); false: a single "
         "server; absent: ask the server (INFO cluster)"}}},
      {"pipeline_window",
       {{"type", "integer"},
        {"minimum", 1},
        {"default", kDefaults.pipeline_window},
        {"description", "commands sent ahead of their replies on one connection, at most"}}},
      {"tls",
       {{"type", "boolean"},
        {"default", kDefaults.tls.enabled},
        {"description", "connect with TLS; a rediss:// URI always does"}}},
      {"tls_verify",
       {{"type", "string"},
        {"enum", {"full", "ca", "none"}},
        {"default", to_string(kDefaults.tls.verify)},
        {"description",
         "what TLS checks of the server's certificate: full (chain and host name), ca (chain "
         "only) or none"}}},
      {"insecure",
       {{"type", "boolean"},
        {"default", false},
        {"description", "TLS without verifying the server's certificate (tls_verify none)"}}},
      {"cacert",
       {{"type", "string"},
        {"description",
         "PEM file of the CA certificates that TLS trusts; default: the system's CAs"}}},
      {"cert",
       {{"type", "string"},
        {"description", "PEM file of the client certificate for mutual TLS; needs 'key'"}}},
      {"key",
       {{"type", "string"},
        {"description",
         "PEM file of the client certificate's private key (PKCS#8 or "
         "traditional, possibly encrypted); needs 'cert'"}}},
      {"key_password",
       {{"type", "string"}, {"description", "password that decrypts the private key of 'key'"}}},
      {"sni",
       {{"type", "string"},
        {"description",
         "server name sent in the TLS handshake and checked against the certificate under "
         "tls_verify full; default: the URI's host (no name is sent for an IP address)"}}},
  };
}

nlohmann::json ConnectionOptions::component_schema(nlohmann::json own_properties) {
  nlohmann::json properties = connection_schema_properties();
  for (auto& [name, schema] : own_properties.items()) properties[name] = std::move(schema);
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", {"uri"}},
          {"additionalProperties", false}};
}

}  // namespace riot::redis
