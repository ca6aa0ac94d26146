#pragma once
// What keyspace notifications cannot tell: FLUSHALL, FLUSHDB and SWAPDB
// change every key of a database at once and publish no per-key
// notification. This watch polls INFO commandstats on each master every few
// seconds and reports when their call counts grew, so that a reconciliation
// repairs the target.
//
// What it detects: any call of those commands on the masters followed, from
// any client, including inside MULTI and scripts, whichever database it
// concerns (a FLUSHDB of another database costs a needless pass), seen at the
// next poll. What it does not: a server whose INFO is refused (logged once at
// the start), counters reset by CONFIG RESETSTAT between two polls, and data
// replaced wholesale in other ways (a restart that loads another RDB file,
// DEBUG RELOAD), which a subscription loss reports anyway when the server
// restarts.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "riot/host_context.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/subscription.hpp"

namespace riot::keyspace_plugin {

class FlushWatch {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FlushWatch(HostContext& host, std::chrono::milliseconds interval);

  // Whether the next poll is due.
  bool due(Clock::time_point now) const noexcept { return now >= next_poll_; }

  // Reads the counts of each server: the first reading is the baseline;
  // later ones that changed request a reconciliation. Servers no longer
  // listed are forgotten. A server that cannot be asked now is skipped until
  // the next poll.
  void poll(const std::vector<redis::SubscribedNode>& servers, Clock::time_point now);

 private:
  struct Watched {
    std::unique_ptr<redis::Connection> connection;
    std::optional<std::uint64_t> calls;  // FLUSHALL + FLUSHDB + SWAPDB since the server started
    bool refused = false;                // INFO commandstats refused: not watched
  };

  void read(const std::string& endpoint, Watched& watched);

  HostContext& host_;
  std::chrono::milliseconds interval_;
  Clock::time_point next_poll_{};
  std::map<std::string, Watched> watched_;
};

// The calls of FLUSHALL, FLUSHDB and SWAPDB in an INFO commandstats reply
// ("cmdstat_flushall:calls=2,usec=..."); commands never called are absent.
std::uint64_t flush_calls(std::string_view commandstats);

}  // namespace riot::keyspace_plugin
