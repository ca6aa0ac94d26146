#include "flush_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "riot/redis/errors.hpp"

namespace riot::keyspace_plugin {
namespace {

// INFO must not hold up the subscriber for long: the watch runs on its thread.
constexpr std::chrono::milliseconds kWatchTimeout{1000};

redis::ConnectionOptions watch_options(redis::ConnectionOptions options) {
  options.connect_timeout = std::min(options.connect_timeout, kWatchTimeout);
  options.command_timeout = std::min(options.command_timeout, kWatchTimeout);
  return options;
}

}  // namespace

std::uint64_t flush_calls(std::string_view commandstats) {
  std::uint64_t total = 0;
  for (const std::string_view command : {"flushall", "flushdb", "swapdb"}) {
    const std::string field = "cmdstat_" + std::string(command) + ":calls=";
    const std::size_t at = commandstats.find(field);
    if (at == std::string_view::npos) continue;
    const char* begin = commandstats.data() + at + field.size();
    std::uint64_t calls = 0;
    std::from_chars(begin, commandstats.data() + commandstats.size(), calls);
    total += calls;
  }
  return total;
}

FlushWatch::FlushWatch(HostContext& host, std::chrono::milliseconds interval)
    : host_(host), interval_(interval) {}

void FlushWatch::poll(const std::vector<redis::SubscribedNode>& servers, Clock::time_point now) {
  next_poll_ = now + interval_;
  std::erase_if(watched_, [&](const auto& entry) {
    return std::none_of(servers.begin(), servers.end(), [&](const redis::SubscribedNode& server) {
      return server.endpoint == entry.first;
    });
  });
  for (const redis::SubscribedNode& server : servers) {
    Watched& watched = watched_[server.endpoint];
    if (!watched.connection)
      watched.connection = std::make_unique<redis::Connection>(watch_options(server.options));
    if (!watched.refused) read(server.endpoint, watched);
  }
}

void FlushWatch::read(const std::string& endpoint, Watched& watched) {
  redis::Reply reply;
  try {
    reply = watched.connection->command({"INFO", "commandstats"});
  } catch (const redis::Error& error) {
    // Lost or slow: the subscription reports the server's troubles; the
    // counts are asked again at the next poll.
    host_.logger().debug("INFO commandstats: {}", error.what());
    return;
  }
  if (reply.is_error() || !reply.is_string()) {
    watched.refused = true;
    host_.logger().info(
        "{}: INFO commandstats refused ({}): FLUSHALL, FLUSHDB and SWAPDB "
        "(which publish no per-key notification) cannot be detected there",
        watched.connection->describe(), reply.str);
    return;
  }
  const std::uint64_t calls = flush_calls(reply.str);
  // Counts that grew: a flush. Counts that fell: the stats were reset (or
  // the server restarted), which may hide one.
  if (watched.calls && calls != *watched.calls)
    host_.request_reconciliation(
        "FLUSHALL, FLUSHDB or SWAPDB ran on " + endpoint +
        " (they publish no per-key notification; seen in INFO commandstats)");
  watched.calls = calls;
}

}  // namespace riot::keyspace_plugin
