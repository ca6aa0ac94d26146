#pragma once
// What `riot replicate`'s command line asks for, read and checked: the values
// the document builders (replicate_document.hpp) turn into a pipeline. The
// options' syntax and help are in replicate_syntax.hpp.

#include <cstdint>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "compare_options.hpp"
#include "connection_side.hpp"
#include "key_selection_options.hpp"
#include "live_options.hpp"
#include "rate_options.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"
#include "type_options.hpp"

namespace riot::app {

// Every member's initial value is the option's default (and what --help
// shows).
struct ReplicateOptions {
  ConnectionSide source;
  ConnectionSide target;
  std::string mode = "scan";  // canonical: scan, live, liveonly or compare
  TypeOptions types;          // --type and what goes with it
  std::int64_t scan_count = 1000;
  std::string key_pattern = "*";
  std::optional<std::string> key_type;   // every type
  std::optional<std::string> key_slots;  // canonical ranges ("0:5460,10923:16383"); every slot
  KeySelectionOptions keys;              // --key-include, --key-exclude, --key-process
  std::string read_from = "master";      // canonical name (redis::cluster::to_string)
  // The stages' defaults are the pipeline document's, the timeouts the
  // Redis client's: a replicate run and a minimal document behave alike.
  std::int64_t read_threads = host::kDefaultStageThreads;
  std::int64_t read_batch = host::kDefaultBatchSize;
  std::int64_t read_queue = host::kDefaultQueueCapacity;
  std::int64_t write_threads = host::kDefaultStageThreads;
  std::int64_t write_batch = host::kDefaultBatchSize;
  std::int64_t write_queue = host::kDefaultQueueCapacity;
  std::int64_t connect_timeout_ms = redis::ConnectionOptions{}.connect_timeout.count();
  std::int64_t command_timeout_ms = redis::ConnectionOptions{}.command_timeout.count();
  // The retry policy's defaults, as a pipeline document without them has.
  std::int64_t retries = RetryOptions{}.retries;
  std::int64_t retry_delay_ms = RetryOptions{}.delay.count();
  LiveOptions live;
  RateOptions rates;       // every pipeline of the document
  CompareOptions compare;  // --mode compare, and the verification after a copy
  bool dry_run = false;
  bool replace = true;
  bool print_pipeline = false;

  // live or liveonly: subscribe to the source's changes and follow them.
  bool follows_changes() const { return mode == "live" || mode == "liveonly"; }
  // --mode compare: compare the source with the target, copy nothing (but
  // what --repair asks for).
  bool only_compares() const { return mode == "compare"; }
  // Whether a pipeline of the run scans the target: a comparison (extra
  // keys) or a live run's reconciliation.
  bool walks_target() const {
    return only_compares() || verifies_after_copy() || (follows_changes() && !dry_run);
  }
  // Whether a copy is followed by its verification: a copy that writes
  // (no --dry-run) and ends by itself (a snapshot, or a live run with an idle
  // timeout; one ended by a signal is interrupted), unless --no-verify, and
  // unless --no-replace: the keys it leaves alone on purpose would all be
  // reported as differences.
  bool verifies_after_copy() const { return would_verify_after_copy() && replace; }
  bool would_verify_after_copy() const {
    return !only_compares() && compare.verify && !dry_run &&
           (!follows_changes() || live.idle_timeout_ms > 0);
  }

  // Whether the document carries a password (in a URI or an option, a key's
  // password included), which --print-pipeline warns about.
  bool document_holds_passwords() const;
};

// Reads and checks the parsed options, `replicate_command_syntax()`'s.
// Throws CommandLineError naming the option (or the URI, password masked) at
// fault, and both the option and the mode for an option the mode cannot use.
ReplicateOptions read_replicate_options(const po::variables_map& values);

}  // namespace riot::app
