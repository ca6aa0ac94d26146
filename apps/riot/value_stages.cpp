#include "value_stages.hpp"

#include <cstdint>
#include <utility>

#include "replicate_stages.hpp"

namespace riot::app {

namespace {

using nlohmann::json;

constexpr std::int64_t kBytesPerMib = std::int64_t{1} << 20;

// What codec.dump reads beyond DUMP: big keys are looked for only under a
// limit, and the fast path is written only when turned off (its default is
// codec.dump's).
void add_dump_reading(const TypeOptions& types, json& config) {
  if (types.limits_memory()) {
    config["mem_limit_bytes"] = *types.mem_limit_mb * kBytesPerMib;
    config["memory_samples"] = types.mem_samples;
    config["over_limit"] = types.mem_limit_policy;
  }
  if (!types.string_fast_path) config["string_fast_path"] = false;
}

// Without --mem-limit, codec.struct's own threshold stands.
void add_struct_reading(const TypeOptions& types, json& config) {
  if (types.mem_limit_mb) config["chunk_above_bytes"] = *types.mem_limit_mb * kBytesPerMib;
  config["memory_samples"] = types.mem_samples;
}

}  // namespace

json reader_stage(const ReplicateOptions& options) {
  json config = connection_config(options.source, options);
  add_read_from(options, config);
  const bool by_type = options.types.is_struct();
  if (by_type)
    add_struct_reading(options.types, config);
  else
    add_dump_reading(options.types, config);
  return parallel_stage(by_type ? "codec.struct" : "codec.dump", std::move(config),
                        options.read_threads, options.read_batch, options.read_queue);
}

json sink_stage(const ReplicateOptions& options) {
  if (options.dry_run) {
    return parallel_stage("sink.null", json::object(), options.write_threads, options.write_batch,
                          options.write_queue);
  }
  json config = connection_config(options.target, options);
  config["replace"] = options.replace;
  const bool by_type = options.types.is_struct();
  if (by_type) {
    config["merge"] = options.types.merge_policy;
    config["stream_ids"] = options.types.stream_ids;
  }
  return parallel_stage(by_type ? "sink.struct" : "sink.restore", std::move(config),
                        options.write_threads, options.write_batch, options.write_queue);
}

}  // namespace riot::app
