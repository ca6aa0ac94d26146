#include "live_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_live_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto milliseconds = [] { return po::value<std::int64_t>()->value_name("MS"); };
  po::options_description group("Live replication (--mode live and liveonly; see docs/live.md)");
  auto add = group.add_options();
  add("idle-timeout,idle", milliseconds(),
      "End once no change came for MS milliseconds and every change read is written (exit 0). "
      "Alias: --idle. Default: none, follow until interrupted (SIGINT, SIGTERM); 0: none.");
  add("flush-interval,flush", milliseconds()->default_value(defaults.live.flush_interval_ms),
      "The longest a partial batch of changes may wait before it is handed on; batches never "
      "wait to fill up otherwise. Alias: --flush.");
  add("event-queue",
      po::value<std::int64_t>()->value_name("N")->default_value(defaults.live.event_queue),
      "Change notifications that may wait unread; beyond that riot says so and reconciles "
      "the source with the target, while it goes on following changes.");
  add("event-order",
      po::value<std::string>()->value_name("ORDER")->default_value(defaults.live.event_order),
      "fifo: keys are read in the order they arrive, notified or scanned; priority: notified "
      "changes are read before waiting scanned keys (lower lag during the scan). "
      "Case-insensitive.");
  options.add(group);
}

}  // namespace riot::app
