#include "notification_flags.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <stdexcept>

#include "riot/redis/connection.hpp"
#include "riot/redis/errors.hpp"

namespace riot::keyspace_plugin {
namespace {

struct Flag {
  char flag;
  std::string_view meaning;
};
// The classes A stands for that riot needs.
constexpr std::array kClasses{
    Flag{'g', "generic commands: DEL, EXPIRE, RENAME..."},
    Flag{'$', "strings"},
    Flag{'l', "lists"},
    Flag{'s', "sets"},
    Flag{'h', "hashes"},
    Flag{'z', "sorted sets"},
    Flag{'x', "expired"},
    Flag{'e', "evicted"},
    Flag{'t', "streams"},
};

constexpr std::string_view kRemedy =
    "set it with CONFIG SET notify-keyspace-events KEA (and in redis.conf, to outlive a "
    "restart); on ElastiCache, in a custom parameter group with notify-keyspace-events = KEA "
    "applied to the cluster";

std::string describe(const Flag& flag) {
  return std::string(1, flag.flag) + " (" + std::string(flag.meaning) + ")";
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

// notify-keyspace-events of the server, or nothing when CONFIG is refused
// (warned about).
std::optional<std::string> read_setting(redis::Connection& server, HostContext& host) {
  const redis::Reply reply = server.command({"CONFIG", "GET", "notify-keyspace-events"});
  if (!reply.is_error() && reply.is_array() && reply.elements.size() == 2)
    return reply.elements[1].str;
  host.logger().warn(
      "{}: cannot check notify-keyspace-events ({}); changes are followed only "
      "if it holds K and A (KEA): {}",
      server.describe(),
      reply.is_error() ? "CONFIG GET refused: " + reply.str : "CONFIG GET answered no value",
      kRemedy);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> missing_notification_flags(std::string_view setting) {
  std::vector<std::string> missing;
  const auto has = [&](char flag) { return setting.find(flag) != std::string_view::npos; };
  if (!has('K')) missing.push_back(describe({'K', "keyspace events"}));
  if (has('A')) return missing;
  std::vector<std::string> classes;
  for (const Flag& flag : kClasses)
    if (!has(flag.flag)) classes.push_back(describe(flag));
  if (classes.size() == kClasses.size())
    missing.push_back("A (every class of event: g$lshzxet)");
  else
    missing.insert(missing.end(), classes.begin(), classes.end());
  return missing;
}

void check_notifications(const std::vector<redis::ConnectionOptions>& servers, HostContext& host) {
  for (const redis::ConnectionOptions& options : servers) {
    redis::Connection server(options);
    const std::optional<std::string> setting = read_setting(server, host);
    if (!setting) continue;
    const std::vector<std::string> missing = missing_notification_flags(*setting);
    if (missing.empty()) {
      host.logger().debug("{}: notify-keyspace-events is \"{}\"", server.describe(), *setting);
      // Module types (class d, part of A since Redis 7) are no core class:
      // without it their keys change unseen, which only matters with some.
      if (setting->find('A') == std::string::npos && setting->find('d') == std::string::npos) {
        host.logger().warn(
            "{}: notify-keyspace-events \"{}\" lacks d (module types): changes of keys of "
            "module types are not notified and reach the target only by a reconciliation "
            "pass; KEA includes d",
            server.describe(), *setting);
      }
      continue;
    }
    throw std::runtime_error(
        server.describe() + ": keyspace notifications are " +
        (setting->empty() ? "off" : "incomplete") + " (notify-keyspace-events \"" + *setting +
        "\"), so live replication would miss changes; missing: " + join(missing) + "; " +
        std::string(kRemedy));
  }
}

}  // namespace riot::keyspace_plugin
