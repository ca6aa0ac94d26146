#pragma once
// Watching a run from outside its threads: the run report and the metrics
// endpoint see every pass of every pipeline as it starts and ends, and may
// read a running pass's counters at any time (a scrape).
//
// A replicating pipeline runs one pass ("replicate"); a comparing one up to
// four ("compare", "extras", "repair", "recompare": comparison_run.cpp).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "riot/host/comparison_summary.hpp"
#include "riot/metrics.hpp"

namespace riot::host {

struct LagFigures;
struct RunSummary;

// What waits in front of the stages of a running pass.
struct QueueDepths {
  std::size_t reader_keys = 0;   // keys (events) waiting for a reader
  std::size_t sink_batches = 0;  // record batches waiting for a sink or comparator
  std::size_t sink_bytes = 0;    // their keys' and values' bytes
};

// A pass while it runs. Every method is thread-safe.
class RunningPass {
 public:
  virtual ~RunningPass() = default;
  virtual const std::string& pipeline() const = 0;
  virtual std::string_view pass() const = 0;
  virtual const Metrics& metrics() const = 0;
  virtual QueueDepths queue_depths() const = 0;
  // The replication lag over the last seconds, and over the whole pass.
  virtual std::optional<LagFigures> recent_lag() const = 0;
  virtual std::optional<LagFigures> overall_lag() const = 0;
  // The comparison outcomes so far (a comparing pass), or nothing.
  virtual std::optional<ComparisonCounts> comparison() const = 0;
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Before the pass's sources run; `pass` stays valid until pass_ended.
  virtual void pass_started(const RunningPass& pass) = 0;
  // The pass's own figures (a comparing pipeline's summary adds its passes
  // up); `pass` is still valid.
  virtual void pass_ended(const RunningPass& pass, const RunSummary& summary) = 0;
  // The pipeline's summary, as run_pipeline returns it.
  virtual void pipeline_ended(const RunSummary& summary) = 0;
};

}  // namespace riot::host
