#include "compare_document.hpp"

#include <cstdint>
#include <utility>

#include "key_selection_stages.hpp"
#include "replicate_stages.hpp"
#include "riot/values/value_reader.hpp"
#include "value_stages.hpp"

namespace riot::app {

namespace {

using nlohmann::json;

constexpr std::int64_t kBytesPerMib = std::int64_t{1} << 20;

// Above this many bytes a key is compared chunk by chunk, so riot never holds
// a big key whole: --mem-limit when given, the value reader's default
// otherwise (0 given: every key whole).
std::int64_t chunk_above_bytes(const TypeOptions& types) {
  return types.mem_limit_mb ? *types.mem_limit_mb * kBytesPerMib
                            : static_cast<std::int64_t>(values::kDefaultChunkAboveBytes);
}

// The reader whose records carry whole values: the full comparison's and the
// repair's. A key over the limit comes as chunked values, unless the copy
// skips such keys (--mem-limit-policy skip): then the comparison leaves them
// out alike, rather than report as missing what was skipped on purpose.
json full_reader_stage(const ReplicateOptions& options) {
  json reader = reader_stage(options);
  json& config = reader["config"];
  config["erase_missing"] = true;
  if (options.types.is_struct() || options.types.skips_big_keys()) return reader;
  const std::int64_t limit = chunk_above_bytes(options.types);
  if (limit == 0) return reader;
  config["mem_limit_bytes"] = limit;
  config["memory_samples"] = options.types.mem_samples;
  config["over_limit"] = "struct";
  return reader;
}

// codec.digest on SOURCE: "digest" reads what a quick comparison needs,
// "presence" only whether the source holds each key.
json digest_reader_stage(const ReplicateOptions& options, const char* read) {
  json config = connection_config(options.source, options);
  add_read_from(options, config);
  config["read"] = read;
  return parallel_stage("codec.digest", std::move(config), options.read_threads, options.read_batch,
                        options.read_queue);
}

json comparator_stage(const ReplicateOptions& options) {
  json config = connection_config(options.target, options);
  config["source"] = connection_settings(options.source, options);
  config["compare"] = options.compare.depth;
  config["ttl_tolerance_ms"] = options.compare.ttl_tolerance_ms;
  // The comparator reads a key found different again, big ones in chunks
  // as the reader does.
  if (options.types.mem_limit_mb) {
    config["chunk_above_bytes"] = chunk_above_bytes(options.types);
    config["memory_samples"] = options.types.mem_samples;
  }
  return parallel_stage("comparator.redis", std::move(config), options.write_threads,
                        options.write_batch, options.write_queue);
}

// The keys only the target holds: a scan of the target with the source's
// filters (so the rest of the target is not extra), each key looked for on
// the source.
json extras_stages(const ReplicateOptions& options) {
  json scan = filtered_scan_config(options.target, options);
  scan["side"] = "target";  // named so in messages
  adapt_target_walk(scan, options);
  json reader = digest_reader_stage(options, "presence");
  // A key of another type on the source is, for a comparison of one type,
  // one the source lacks.
  if (options.key_type) reader["config"]["type"] = *options.key_type;
  return {{"source", {{"component", "source.scan"}, {"config", std::move(scan)}}},
          {"reader", std::move(reader)}};
}

// A repair writes the source's value over the target's, whatever the copy's
// policy: merging would keep what made the key different.
json repair_stages(const ReplicateOptions& options) {
  ReplicateOptions overwriting = options;
  overwriting.replace = true;
  overwriting.types.merge_policy = TypeOptions{}.merge_policy;
  overwriting.types.stream_ids = TypeOptions{}.stream_ids;
  return {{"reader", full_reader_stage(options)},
          {"sink", sink_stage(overwriting)},
          {"extra", options.compare.repair_extra}};
}

json comparison_settings(const CompareOptions& compare) {
  json settings{{"show_diffs", compare.show_diffs}};
  if (compare.diff_report) settings["diff_report"] = *compare.diff_report;
  return settings;
}

json comparing_pipeline(const ReplicateOptions& options, const char* name) {
  json stages{{"source", source_scan_stage(options)},
              {"reader", options.compare.is_quick() ? digest_reader_stage(options, "digest")
                                                    : full_reader_stage(options)},
              {"comparator", comparator_stage(options)},
              {"extras", extras_stages(options)}};
  if (options.compare.repair) stages["repair"] = repair_stages(options);
  return {{"name", name},
          {"stages", with_key_transforms(std::move(stages), options)},
          {"comparison", comparison_settings(options.compare)}};
}

}  // namespace

json compare_pipeline_document(const ReplicateOptions& options) {
  return {{"version", host::kPipelineVersion},
          {"pipelines", json::array({comparing_pipeline(options, "compare")})}};
}

json with_verification(json copy, const std::string& copy_name, const ReplicateOptions& options) {
  if (!options.verifies_after_copy()) return copy;
  const json version = copy["version"];
  copy.erase("version");
  copy["name"] = copy_name;
  return {{"version", version},
          {"pipelines", json::array({std::move(copy), comparing_pipeline(options, "verify")})}};
}

}  // namespace riot::app
