#pragma once
// How `riot replicate --mode live|liveonly` follows changes, read and checked:
// --idle-timeout, --flush-interval, --event-queue, --event-order (their syntax
// is in live_syntax.hpp). Whether the mode follows changes at all is the
// caller's to check (replicate_options.cpp): it knows the mode.

#include <cstdint>
#include <string>

#include "cli_options.hpp"
#include "riot/host/pipeline_spec.hpp"

namespace riot::app {

// The options only the live modes use: how changes are followed. The
// defaults are the pipeline document's and source.keyspace's.
struct LiveOptions {
  std::int64_t idle_timeout_ms = 0;  // 0: none, follow until interrupted
  std::int64_t flush_interval_ms = 5;
  std::int64_t event_queue = host::kDefaultEventQueue;
  std::string event_order = "fifo";  // or "priority"
};

// The options that only tune how changes are followed, as the user spells
// them: refused where no change is followed.
inline constexpr const char* kLiveOnlyOptions[] = {"idle-timeout", "flush-interval", "event-queue",
                                                   "event-order"};

// Reads the live options. Throws CommandLineError naming the option at fault.
LiveOptions read_live_options(const po::variables_map& values);

}  // namespace riot::app
