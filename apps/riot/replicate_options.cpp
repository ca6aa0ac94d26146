#include "replicate_options.hpp"

#include <array>

#include "connection_options.hpp"
#include "option_values.hpp"
#include "scan_options.hpp"
#include "stage_options.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

// The values of the options with a fixed set of values: RIOT's, with the
// older spellings it accepted, and those of later versions (not available).
constexpr std::array kChoices{Choice{"mode", "scan", "scan"}, Choice{"mode", "snapshot", "scan"},
                              Choice{"mode", "live", "live"},
                              Choice{"mode", "liveonly", "liveonly"},
                              Choice{"mode", "compare", "compare"}};

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
                       : !options.replace      ? "--no-replace"
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
  read_scan_options(values, options);
  read_stage_options(values, options);
  read_connection_options(values, options);
  options.keys = read_key_selection_options(values);
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
  refuse_key_slots_with_renaming(options.keys, options.key_slots.has_value(),
                                 options.walks_target());
  return options;
}

}  // namespace riot::app
