#include "replicate_options.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "option_values.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

constexpr std::int64_t kMaxScanCount = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxTimeoutMs = 24 * 3600 * 1000;  // a day
constexpr std::int64_t kMaxRetries = 1000000;             // the retry schema's bound
constexpr std::int64_t kMaxFlushIntervalMs = 60000;       // source.keyspace's bound

// The values of the options with a fixed set of values: RIOT's, with the
// older spellings it accepted, and those of later versions (not available).
constexpr std::array kChoices{Choice{"mode", "scan", "scan"},
                              Choice{"mode", "snapshot", "scan"},
                              Choice{"mode", "live", "live"},
                              Choice{"mode", "liveonly", "liveonly"},
                              Choice{"mode", "compare", "compare"},
                              Choice{"event-order", "fifo", "fifo"},
                              Choice{"event-order", "priority", "priority"}};

// The options that only tune how changes are followed.
constexpr std::array<const char*, 4> kLiveOnlyOptions{"idle-timeout", "flush-interval",
                                                      "event-queue", "event-order"};

// --key-slots in canonical form; nothing when absent.
std::optional<std::string> read_key_slots(const po::variables_map& values) {
  const std::optional<std::string> text = read_optional(values, "key-slots");
  if (!text) return std::nullopt;
  try {
    return redis::cluster::SlotSet::parse(*text).to_string();
  } catch (const std::invalid_argument& error) {
    throw CommandLineError("invalid value '" + *text + "' for --key-slots: " + error.what());
  }
}

// --read-from, in any case, with '-' or '_' ("REPLICA_PREFERRED" as RIOT
// spells it): its canonical name.
std::string read_read_from(const po::variables_map& values) {
  const std::string text = values["read-from"].as<std::string>();
  std::string name = lowercase(text);
  std::replace(name.begin(), name.end(), '_', '-');
  if (name == "upstream") name = "master";
  const auto read_from = redis::cluster::parse_read_from(name);
  if (!read_from)
    throw CommandLineError("invalid value '" + text +
                           "' for --read-from: expected master, replica, replica-preferred or any");
  return std::string(redis::cluster::to_string(*read_from));
}

LiveOptions read_live_options(const po::variables_map& values) {
  LiveOptions live;
  if (values.count("idle-timeout"))
    live.idle_timeout_ms = read_bounded(values, "idle-timeout", 0, host::kMaxIdleTimeoutMs);
  live.flush_interval_ms = read_bounded(values, "flush-interval", 0, kMaxFlushIntervalMs);
  live.event_queue = read_bounded(values, "event-queue", 1, host::kMaxEventQueue);
  live.event_order = read_choice(values, "event-order", kChoices);
  return live;
}

// The mode as the user wrote it, for messages: "--mode snapshot".
std::string mode_as_given(const po::variables_map& values) {
  return "--mode " + lowercase(values["mode"].as<std::string>());
}

// The live options given with --mode scan: there are no changes to follow,
// and the option would silently do nothing.
void refuse_live_options(const po::variables_map& values) {
  for (const char* option : kLiveOnlyOptions)
    if (option_given(values, option))
      throw CommandLineError("--" + std::string(option) +
                             " applies to --mode live and liveonly only, not to " +
                             mode_as_given(values));
}

// The options that would break what live replication promises: that the
// target ends up holding what the source holds.
void refuse_what_live_cannot_honour(const po::variables_map& values,
                                    const ReplicateOptions& options) {
  // A change is applied by overwriting the key on the target: without
  // REPLACE every change of a key the target holds fails with BUSYKEY.
  if (!options.replace)
    throw CommandLineError("--no-replace contradicts " + mode_as_given(values) +
                           ": following changes overwrites the keys the target holds");
  // A replica applies its master's writes later: a key read there on the
  // master's notification may still have its old value, and no further
  // notification comes to correct it.
  if (options.read_from != ReplicateOptions{}.read_from)
    throw CommandLineError("--read-from " + options.read_from + " contradicts " +
                           mode_as_given(values) +
                           ": a replica lags its master, so a change the master notifies may "
                           "not be on the replica yet when riot reads it; read from master");
}

// The comparison options where nothing is compared: with --no-verify, with
// --dry-run (nothing written, nothing to verify), and after a live run that
// only a signal ends.
void refuse_comparison_options_without_a_comparison(const po::variables_map& values,
                                                    const ReplicateOptions& options) {
  if (options.only_compares() || options.verifies_after_copy()) return;
  const char* reason = !options.compare.verify ? "--no-verify"
                       : options.dry_run       ? "--dry-run"
                                               : nullptr;
  for (const char* option : kComparisonOptions) {
    if (!option_given(values, option)) continue;
    if (reason)
      throw CommandLineError("--" + std::string(option) + " contradicts " + reason +
                             ": nothing is compared");
    throw CommandLineError("--" + std::string(option) + " applies to " + mode_as_given(values) +
                           " only with --idle-timeout: a live run without one ends by a signal "
                           "and is not verified (run --mode compare after it)");
  }
}

// --mode compare only compares: the options about copying would silently do
// nothing, or contradict what a repair must do (overwrite the keys found
// different with the source's, stream ids included).
void refuse_what_compare_cannot_use(const po::variables_map& values) {
  for (const char* option : {"no-verify", "dry-run"})
    if (option_given(values, option))
      throw CommandLineError("--" + std::string(option) + " contradicts " + mode_as_given(values) +
                             ": a comparison is all it runs, and it writes nothing but what "
                             "--repair asks for");
  for (const char* option : {"merge-policy", "stream-id", "no-replace"})
    if (option_given(values, option))
      throw CommandLineError("--" + std::string(option) + " does not apply to " +
                             mode_as_given(values) +
                             ": a repair overwrites each key with the source's value and ids");
}

// A repair overwrites every key found different.
void refuse_what_repair_cannot_honour(const po::variables_map& values,
                                      const ReplicateOptions& options) {
  if (!options.compare.repair || options.replace) return;
  const char* repair = option_given(values, "repair") ? "--repair" : "--repair-extra";
  throw CommandLineError(std::string("--no-replace contradicts ") + repair +
                         ": a repair overwrites the keys the target holds with other values");
}

// A quick comparison reads no value, so it cannot leave out the keys a copy
// skipped for their size: they would all be reported missing.
void refuse_quick_comparison_of_skipped_keys(const ReplicateOptions& options) {
  if (!options.compare.is_quick() || !options.types.skips_big_keys()) return;
  throw CommandLineError(
      "--compare quick contradicts --mem-limit-policy skip (the default of --mem-limit): a "
      "quick comparison does not size keys, so the keys skipped for their size would be "
      "reported missing; use --compare full or --mem-limit-policy struct");
}

}  // namespace

bool ReplicateOptions::document_holds_passwords() const {
  return source.holds_password() || (!dry_run && target.holds_password());
}

ReplicateOptions read_replicate_options(const po::variables_map& values) {
  if (!values.count("source") || !values.count("target")) {
    throw CommandLineError(
        values.count("source")
            ? "missing TARGET (a Redis URI such as redis://host:6379)"
            : "missing SOURCE and TARGET (Redis URIs such as redis://host:6379)");
  }
  ReplicateOptions options;
  options.mode = read_choice(values, "mode", kChoices);
  options.types = read_type_options(values);
  options.source = read_connection_side(values, "source", "SOURCE");
  options.target = read_connection_side(values, "target", "TARGET");
  options.scan_count = read_bounded(values, "scan-count", 1, kMaxScanCount);
  options.key_pattern = values["key-pattern"].as<std::string>();
  options.key_type = read_optional(values, "key-type");
  if (options.key_type && options.key_type->empty()) {
    throw CommandLineError("invalid value '' for --key-type: expected a type name such as hash");
  }
  options.key_slots = read_key_slots(values);
  options.read_from = read_read_from(values);
  options.read_threads = read_bounded(values, "read-threads", 1, host::kMaxStageThreads);
  options.read_batch = read_bounded(values, "read-batch", 1, host::kMaxBatchSize);
  options.read_queue = read_bounded(values, "read-queue", 1, host::kMaxQueueCapacity);
  options.write_threads = read_bounded(values, "write-threads", 1, host::kMaxStageThreads);
  options.write_batch = read_bounded(values, "write-batch", 1, host::kMaxBatchSize);
  options.write_queue = read_bounded(values, "write-queue", 1, host::kMaxQueueCapacity);
  options.connect_timeout_ms = read_bounded(values, "connect-timeout", 1, kMaxTimeoutMs);
  options.command_timeout_ms = read_bounded(values, "timeout", 1, kMaxTimeoutMs);
  options.retries = read_bounded(values, "retry", 0, kMaxRetries);
  options.retry_delay_ms = read_bounded(values, "retry-delay", 0, kMaxTimeoutMs);
  options.live = read_live_options(values);
  options.rates = read_rate_options(values);
  options.dry_run = values["dry-run"].as<bool>();
  options.replace = !values["no-replace"].as<bool>();
  options.print_pipeline = values["print-pipeline"].as<bool>();
  options.compare = read_compare_options(values);
  // An option the mode cannot use is refused naming both: the user expects
  // it to matter, and it would not.
  if (options.follows_changes())
    refuse_what_live_cannot_honour(values, options);
  else
    refuse_live_options(values);
  if (options.only_compares()) refuse_what_compare_cannot_use(values);
  refuse_comparison_options_without_a_comparison(values, options);
  refuse_what_repair_cannot_honour(values, options);
  refuse_quick_comparison_of_skipped_keys(options);
  return options;
}

}  // namespace riot::app
