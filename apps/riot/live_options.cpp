#include "live_options.hpp"

#include <array>

#include "option_values.hpp"

namespace riot::app {

namespace {

constexpr std::int64_t kMaxFlushIntervalMs = 60000;  // source.keyspace's bound

constexpr std::array kChoices{Choice{"event-order", "fifo", "fifo"},
                              Choice{"event-order", "priority", "priority"}};

}  // namespace

LiveOptions read_live_options(const po::variables_map& values) {
  LiveOptions live;
  if (values.count("idle-timeout"))
    live.idle_timeout_ms = read_bounded(values, "idle-timeout", 0, host::kMaxIdleTimeoutMs);
  live.flush_interval_ms = read_bounded(values, "flush-interval", 0, kMaxFlushIntervalMs);
  live.event_queue = read_bounded(values, "event-queue", 1, host::kMaxEventQueue);
  live.event_order = read_choice(values, "event-order", kChoices);
  return live;
}

}  // namespace riot::app
