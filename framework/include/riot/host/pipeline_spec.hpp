#pragma once
// The pipeline document.
//
//   {
//     "version": 1,
//     "stages": {
//       "source": {"component": "source.scan", "config": {...}},
//          (or "sources": [{...}, ...], several run together: live replication
//           subscribes with source.keyspace and walks with source.scan)
//       "reconcile": [{"component": "source.scan", "config": {...}}, ...],
//          (optional: run again whenever a source may have missed changes;
//           "walks": "target" marks a walk of the target, whose keys the
//           transforms map back to source keys)
//       "transforms": [{"component": "transform.key_filter", "config": {...}},
//                      {"component": "transform.key_rename", "config": {...}}],
//          (optional: which keys are taken and their names on the target,
//           applied in order; see riot/key_transform.hpp)
//       "reader": {"component": "codec.dump", "threads": 4, "batch_size": 200,
//                  "batch_bytes": 2097152, "queue_capacity": 10000,
//                  "queue_bytes": 33554432, "config": {...}},
//       "sink":   {"component": "sink.restore", "threads": 4, "batch_size": 200,
//                  "batch_bytes": 2097152, "queue_capacity": 10000,
//                  "queue_bytes": 33554432, "config": {...}}
//     },
//     "runtime": {"ordered": true, "event_queue": 10000, "event_order": "fifo",
//                 "idle_timeout_ms": 0, "rate_keys": 0, "rate_bytes": 0}
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

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "riot/host/plugin_registry.hpp"
#include "riot/host/secret_references.hpp"
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
  // A reconciliation source that walks the target ("walks": "target"): its
  // keys are target keys, mapped back through the transforms.
  bool walks_target = false;
};

// In which order a reader worker takes the events waiting for it.
enum class EventOrder {
  fifo,      // as they came
  priority,  // notifications before scan and reconciliation events
};

inline constexpr std::size_t kDefaultEventQueue = 10000;
inline constexpr std::size_t kMaxEventQueue = 100000000;
inline constexpr std::int64_t kMaxIdleTimeoutMs = std::int64_t{7} * 24 * 3600 * 1000;  // a week
// The highest rate limits accepted (runtime.rate_keys, runtime.rate_bytes).
inline constexpr std::uint64_t kMaxRateKeys = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxRateBytes = std::uint64_t{1} << 50;

// How the runtime moves keys, beyond the stages' own settings.
struct RuntimeSettings {
  // Keyed lanes: every event of a key goes through the same reader and sink
  // worker, in order, and an event for a key already waiting unread is
  // merged into it. Needed wherever a key may come more than once (live
  // replication); otherwise any worker takes any key.
  bool ordered = false;
  // Notification events that may wait unread, over all lanes; beyond that
  // they are not queued and a reconciliation pass makes up for them.
  std::size_t event_queue = kDefaultEventQueue;
  EventOrder event_order = EventOrder::fifo;
  // Ends a run with unbounded sources once no event came for that long and
  // everything taken in was written; zero: never.
  std::chrono::milliseconds idle_timeout{0};
  // Keys and payload bytes per second that the pipeline's readers may take
  // from the source, all of them together and in every pass (a comparison's
  // reads too); zero: no limit. Spares a busy source (rate_limiter.hpp).
  std::uint64_t rate_keys = 0;
  std::uint64_t rate_bytes = 0;

  bool operator==(const RuntimeSettings&) const = default;
};

// A comparing pipeline's second pass: a walk of the target whose reader
// turns the keys the source lacks into erase records (extra keys).
struct ExtrasSpec {
  StageSpec source;
  StageSpec reader;
};

// What a comparing pipeline does with the keys found different: read them
// from the source again and write them to the target, then compare them
// once more.
struct RepairSpec {
  StageSpec reader;
  StageSpec sink;
  bool extra = false;  // delete the target's extra keys too
};

// How a comparing pipeline shows its differences.
struct ComparisonSettings {
  bool show_diffs = false;  // each difference as a line on stdout
  std::string diff_report;  // JSON-lines file, one line per difference; "" for none

  bool operator==(const ComparisonSettings&) const = default;
};

struct PipelineSpec {
  // "pipeline N" (from 1) unless the document names it; names are unique.
  std::string name;
  std::vector<StageSpec> sources;    // at least one, connected in this order
  std::vector<StageSpec> reconcile;  // run again on HostContext::request_reconciliation
  // Key transforms, in order: applied to every pass of the pipeline.
  std::vector<StageSpec> transforms;
  StageSpec reader;
  // Exactly one of the two: a replicating pipeline writes through `sink`, a
  // comparing one compares through `comparator` (the other's component is
  // empty).
  StageSpec sink;
  StageSpec comparator;
  // Only with a comparator.
  std::optional<ExtrasSpec> extras;
  std::optional<RepairSpec> repair;
  ComparisonSettings comparison;
  RuntimeSettings runtime;
  // Every datatype component loaded when the document was validated (not
  // part of the document: components find them by Redis type name).
  std::vector<const LoadedComponent*> datatypes;

  bool compares() const { return !comparator.component.empty(); }
  // The stage at the end of the pipeline: the sink or the comparator.
  const StageSpec& output() const { return compares() ? comparator : sink; }
};

// A whole document: one pipeline (the single form, `"stages"` at the top)
// or several run in order (`"pipelines": [...]`).
struct DocumentSpec {
  std::vector<PipelineSpec> pipelines;  // at least one
  bool single_form = true;              // printed back in the form it was read
  // Where the document gave a secret by reference ({"$env": ...}, see
  // secret_references.hpp): the specs hold the values, to_document prints
  // the references back.
  std::vector<SecretReference> secret_references;
};

struct DocumentValidation {
  DocumentSpec document;
  ValidationErrors errors;  // empty when the document is valid
  bool ok() const { return errors.empty(); }
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

// Either form of the document (see above), its secret references resolved
// first (an unresolvable one is reported alone), every pipeline checked as
// validate_pipeline does, errors' pointers within their pipeline
// (`/pipelines/1/stages/comparator/config/...`), plus names unique and the
// diff report paths creatable.
DocumentValidation validate_document(const nlohmann::json& document,
                                     const PluginRegistry& registry);

// The document for a spec (what `--print-pipeline` prints); validating it
// yields the same spec.
nlohmann::json to_document(const PipelineSpec& spec);
nlohmann::json to_document(const DocumentSpec& document);

}  // namespace riot::host
