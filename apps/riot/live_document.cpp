#include "live_document.hpp"

#include <utility>

#include "compare_document.hpp"
#include "key_selection_stages.hpp"
#include "replicate_stages.hpp"
#include "value_stages.hpp"

namespace riot::app {

namespace {

using nlohmann::json;

// The keyspace source filters by key pattern (the server does, through the
// channel pattern) and by slot; a notification carries no type, which the
// reader checks (erasing_reader_stage).
json keyspace_source_stage(const ReplicateOptions& options) {
  json config = connection_config(options.source, options);
  config["match"] = options.key_pattern;
  if (options.key_slots) config["key_slots"] = *options.key_slots;
  config["flush_interval_ms"] = options.live.flush_interval_ms;
  return {{"component", "source.keyspace"}, {"config", std::move(config)}};
}

// The host connects the sources in this order before any runs: the
// subscription exists before the scan starts, so no change falls between.
json sources(const ReplicateOptions& options) {
  json stages = json::array({keyspace_source_stage(options)});
  if (options.mode == "live") stages.push_back(source_scan_stage(options));
  return stages;
}

// A pass over both sides: every key either holds that matches the filters
// is read from the source again, so a key only the target holds is deleted.
json reconcile_sources(const ReplicateOptions& options) {
  json stages = json::array({source_scan_stage(options)});
  if (!options.dry_run) {
    json target = filtered_scan_config(options.target, options);
    target["side"] = "target";  // named so in messages
    adapt_target_walk(target, options);
    // Its keys are target keys: the transforms map them back.
    stages.push_back(
        {{"component", "source.scan"}, {"walks", "target"}, {"config", std::move(target)}});
  }
  return stages;
}

// A key gone from the source becomes a delete on the target. A notified key
// may be of any type: with --key-type the reader reads each key's type, and
// a key of another type is erased too (it may have been of the wanted type
// before it changed).
json erasing_reader_stage(const ReplicateOptions& options) {
  json reader = reader_stage(options);
  reader["config"]["erase_missing"] = true;
  if (options.key_type) reader["config"]["type"] = *options.key_type;
  return reader;
}

json runtime(const LiveOptions& live) {
  return {{"ordered", true},
          {"event_queue", live.event_queue},
          {"event_order", live.event_order},
          {"idle_timeout_ms", live.idle_timeout_ms}};
}

}  // namespace

json live_pipeline_document(const ReplicateOptions& options) {
  nlohmann::json copy{{"version", host::kPipelineVersion},
                      {"stages", with_key_transforms({{"sources", sources(options)},
                                                      {"reconcile", reconcile_sources(options)},
                                                      {"reader", erasing_reader_stage(options)},
                                                      {"sink", sink_stage(options)}},
                                                     options)},
                      {"runtime", runtime(options.live)}};
  return with_verification(std::move(copy), options.mode, options);
}

}  // namespace riot::app
