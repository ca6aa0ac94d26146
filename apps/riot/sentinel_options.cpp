#include "sentinel_options.hpp"

#include "option_values.hpp"
#include "riot/redis/uri.hpp"
#include "usage_error.hpp"

namespace riot::app {

SentinelSide read_sentinel_side(const po::variables_map& values, const std::string& side_name,
                                const std::string& uri, const char* role,
                                const host::EnvironmentLookup& environment) {
  const auto option = [&](const char* suffix) { return side_name + "-sentinel-" + suffix; };
  SentinelSide sentinel;
  sentinel.master = read_optional(values, option("master"));
  sentinel.user = read_optional(values, option("user"));
  if (sentinel.master && sentinel.master->empty())
    throw CommandLineError("invalid value '' for --" + option("master") +
                           ": expected the name the sentinels know the master by");
  const redis::Uri parsed = redis::Uri::parse(uri);
  if (sentinel.master && parsed.scheme == redis::Scheme::unix_socket)
    throw CommandLineError("--" + option("master") + " needs the sentinels' host:port as " + role +
                           ", not a socket path");
  if (parsed.is_sentinel() || sentinel.master) {
    if (!sentinel.master && parsed.sentinel_master.empty())
      throw CommandLineError(std::string(role) + " '" + parsed.to_string() +
                             "' names no master: add ?master=NAME to it or give --" +
                             option("master"));
    sentinel.password = read_sentinel_password(values, side_name, environment);
    return sentinel;
  }
  for (const char* suffix : {"user", "pass", "pass-file"})
    if (option_given(values, option(suffix)))
      throw CommandLineError("--" + option(suffix) + " needs sentinels: a redis-sentinel:// " +
                             role + " URI or --" + option("master"));
  return sentinel;
}

void add_sentinel_config(const SentinelSide& sentinel, nlohmann::json& config) {
  if (sentinel.master) config["sentinel_master"] = *sentinel.master;
  if (sentinel.user) config["sentinel_user"] = *sentinel.user;
  if (sentinel.password) config["sentinel_password"] = sentinel.password->document_value();
}

}  // namespace riot::app
