#pragma once
// The pipeline document.
//
//   {
//     "version": 1,
//     "stages": {
//       "source": {"component": "source.scan", "config": {...}},
//       "reader": {"component": "codec.dump", "threads": 4, "batch_size": 200,
//                  "batch_bytes": 2097152, "queue_capacity": 10000,
//                  "queue_bytes": 33554432, "config": {...}},
//       "sink":   {"component": "sink.restore", "threads": 4, "batch_size": 200,
//                  "batch_bytes": 2097152, "queue_capacity": 10000,
//                  "queue_bytes": 33554432, "config": {...}}
//     }
//   }
//
// The runtime owns threads and batching: `threads` is how many instances of
// the component run in parallel (each with its own connections), `batch_size`
// how many keys/records each call receives, `queue_capacity` how many
// keys/records may wait in front of the stage (backpressure beyond that).
// Values may be large (a 1 MB hash), so batches and queues are bounded in
// bytes too: a sink's batch ends at `batch_bytes` of keys and values, a
// reader reads its keys in rounds of about `batch_bytes` (judged by the sizes
// it has read so far), and a queue holds `queue_bytes` at most (always at
// least one batch). Memory then depends on these settings, not on the data.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "riot/host/plugin_registry.hpp"
#include "riot/host/validation_error.hpp"

namespace riot::host {

// The only document version there is so far.
inline constexpr int kPipelineVersion = 1;

// The reader and sink stages' runtime settings: defaults for absent keys and
// the accepted ranges (from 1 to the maximum).
inline constexpr int kDefaultStageThreads = 4;
inline constexpr int kMaxStageThreads = 256;
inline constexpr std::size_t kDefaultBatchSize = 200;
inline constexpr std::size_t kMaxBatchSize = 100000;
inline constexpr std::size_t kDefaultQueueCapacity = 10000;
inline constexpr std::size_t kMaxQueueCapacity = 10000000;
inline constexpr std::size_t kDefaultBatchBytes = std::size_t{2} << 20;   // 2 MiB
inline constexpr std::size_t kMaxBatchBytes = std::size_t{1} << 30;       // 1 GiB
inline constexpr std::size_t kDefaultQueueBytes = std::size_t{32} << 20;  // 32 MiB
inline constexpr std::size_t kMaxQueueBytes = std::size_t{64} << 30;      // 64 GiB

struct StageSpec {
  std::string component;
  nlohmann::json config;  // validated, schema defaults filled in
  int threads = 1;        // the source stage always runs one instance
  std::size_t batch_size = kDefaultBatchSize;
  std::size_t queue_capacity = kDefaultQueueCapacity;
  std::size_t batch_bytes = kDefaultBatchBytes;
  std::size_t queue_bytes = kDefaultQueueBytes;
  const LoadedComponent* resolved = nullptr;  // owned by the registry
};

struct PipelineSpec {
  StageSpec source;
  StageSpec reader;
  StageSpec sink;
};

struct PipelineValidation {
  PipelineSpec pipeline;
  ValidationErrors errors;  // empty when the document is valid
  bool ok() const { return errors.empty(); }
};

// Validates the whole document and reports every error at once, each with
// its JSON pointer: structure, unknown or misplaced keys, unknown components
// (with the nearest known names), a component of the wrong kind for its stage,
// and each component's configuration against its schema.
PipelineValidation validate_pipeline(const nlohmann::json& document,
                                     const PluginRegistry& registry);

// The document for a spec (what `--print-pipeline` prints); validating it
// yields the same spec.
nlohmann::json to_document(const PipelineSpec& spec);

}  // namespace riot::host
