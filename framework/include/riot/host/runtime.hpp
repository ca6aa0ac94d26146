#pragma once
// Runs a validated pipeline: a thread per source partition, `threads` reader
// workers and `threads` sink workers, joined by bounded queues. A full queue
// blocks the stage in front of it, so memory is bounded by the capacities
// whatever the dataset size. With unbounded sources (keyspace
// notifications) the run follows changes until its idle timeout or a
// signal, and then ends cleanly: what was read is written.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "riot/cancellation.hpp"
#include "riot/host/comparison_summary.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/run_observer.hpp"

namespace spdlog {
class logger;
}

namespace riot::host {

enum class ProgressMode {
  automatic,  // a bar on a terminal, log lines otherwise
  bar,
  log,
  none
};

struct RunOptions {
  ProgressMode progress = ProgressMode::automatic;
  std::chrono::milliseconds log_interval{5000};
  // Where the progress log lines go (ProgressMode::log), formatted by its
  // sinks; null: stderr, each line after a timestamp.
  std::shared_ptr<spdlog::logger> progress_log;
  std::size_t keys_named_per_cause = 3;  // failed keys named for each cause of failure
  // Told of every pass and pipeline (the run report, the metrics endpoint);
  // they outlive the run.
  std::vector<RunObserver*> observers;
};

// The keys that failed for one cause (errors alike but for the key and the
// numbers in them: see failure_log.hpp).
struct FailureCause {
  std::string error;  // the first key's error
  std::uint64_t keys = 0;
  std::vector<std::string> first_keys;  // raw bytes
};

// Replication lag percentiles, in milliseconds.
struct LagFigures {
  std::uint64_t samples = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double sum_ms = 0;  // of every sample: the mean, a Prometheus summary's _sum
};

struct RunSummary {
  std::string pipeline;  // its name in the document
  std::uint64_t keys_total_estimate = 0;
  std::uint64_t keys_scanned = 0;
  std::uint64_t keys_read = 0;
  std::uint64_t keys_skipped = 0;
  std::uint64_t keys_filtered = 0;  // left out by the key transforms, never read
  std::uint64_t keys_written = 0;
  std::uint64_t keys_deleted = 0;
  std::uint64_t keys_expired = 0;  // TTL ran out between the read and the write
  std::uint64_t keys_failed = 0;
  std::uint64_t keys_existing = 0;  // left alone: on the target already, replace off
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  double seconds = 0;
  // How long the sources' walk took (scan phase); nothing while it had not
  // ended or for a pass without a walk (notifications only).
  std::optional<double> scan_seconds;
  double rate_wait_seconds = 0;  // readers held back by the rate limit, summed over them
  // Live replication (a run with unbounded sources).
  bool live = false;
  std::uint64_t events_received = 0;         // notifications taken in
  std::uint64_t events_coalesced = 0;        // merged into a read already waiting
  std::uint64_t events_overflowed = 0;       // not queued (event queue full): reconciled
  std::uint64_t events_applied = 0;          // writes the target acknowledged for notifications
  std::uint64_t recoveries = 0;              // reconciliation passes requested
  std::optional<LagFigures> lag;             // from notification to acknowledgement
  bool idle_timeout = false;                 // ended by its idle timeout
  std::vector<FailureCause> failure_causes;  // in the order their first key failed
  bool interrupted = false;                  // cancelled from outside (signal)
  std::optional<std::string> fatal_error;    // a stage stopped the run
  // Why the run was refused before anything ran, as a usage error (it would
  // write into the database it reads).
  std::optional<std::string> refused;
  std::vector<std::string> notes;  // from components (HostContext::add_summary_note)
  // A comparing pipeline's outcomes (all its passes together).
  std::optional<ComparisonSummary> comparison;

  double keys_per_second() const { return seconds > 0 ? keys_written / seconds : 0; }
};

// Runs to completion, cancellation or a fatal error; never throws for errors
// of the components (they end up in fatal_error). `cancel` may be cancelled
// from another thread (a signal handler thread) to stop the run. A comparing
// pipeline runs its passes (compare, extras, repair, compare again) and
// returns them as one summary with its comparison part.
RunSummary run_pipeline(const PipelineSpec& spec, const RunOptions& options,
                        CancellationToken& cancel);

// Runs the document's pipelines in order, each as run_pipeline does; the
// next runs only when the one before was neither interrupted, stopped by a
// fatal error nor refused. One summary per pipeline that ran.
std::vector<RunSummary> run_document(const DocumentSpec& document, const RunOptions& options,
                                     CancellationToken& cancel);

// Human-readable summary lines for the end of a run.
std::string format_summary(const RunSummary& summary);

// What stopped the run, as the summary's last line says it: "Fatal error:
// STAGE: ENDPOINT: message" or "Refused: message"; nothing when it ended by
// itself or by a signal. The one format of such errors, at every log level.
std::optional<std::string> format_stop_line(const RunSummary& summary);

}  // namespace riot::host
