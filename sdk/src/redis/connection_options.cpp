#include "riot/redis/connection_options.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace riot::redis {
namespace {

using nlohmann::json;

// Defaults, shared by the struct's initialisers and the schema.
const ConnectionOptions kDefaults{};

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
    std::string where =
        role_.empty() ? "connection setting" : std::string(role_) + " connection setting";
    if (!key.empty()) where += " '" + std::string(key) + "'";
    throw std::invalid_argument(where + ": " + problem);
  }

 private:
  const json& config_;
  std::string_view role_;
};

}  // namespace

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
  options.uri = Uri::parse(uri_value->get<std::string>());
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
  return options;
}

nlohmann::json ConnectionOptions::connection_schema_properties() {
  return {
      {"uri",
       {{"type", "string"},
        {"minLength", 1},
        {"description",
         "Redis server: redis://[[user]:password@]host[:port][/db], rediss://... for TLS, or "
         "redis-socket:///path/to.sock[?db=N]"}}},
      {"user",
       {{"type", "string"},
        {"description", "ACL user name; overrides the one in the URI when not empty"}}},
      {"password",
       {{"type", "string"},
        {"description", "password for AUTH; overrides the one in the URI when not empty"}}},
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
      {"pipeline_window",
       {{"type", "integer"},
        {"minimum", 1},
        {"default", kDefaults.pipeline_window},
        {"description", "commands sent ahead of their replies on one connection, at most"}}},
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
