#pragma once
// The text of the progress display: a bar redrawn in place on a terminal, or
// one log line at a time elsewhere. Both show the same figures.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "riot/host/comparison_summary.hpp"

namespace riot::host {

// The counters of a run at one instant.
struct ProgressSnapshot {
  std::optional<std::uint64_t> total;  // the source's estimate, when it has one
  std::uint64_t scanned = 0;
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  std::uint64_t deleted = 0;
  std::uint64_t skipped = 0;
  std::uint64_t failed = 0;

  // Live replication: set when the run follows changes.
  struct Live {
    bool listening = false;  // the walks are done: only notifications come
    std::uint64_t events_received = 0;
    std::uint64_t waiting = 0;         // keys waiting to be read
    std::optional<double> lag_p50_ms;  // over the last seconds
    std::optional<double> lag_p99_ms;
  };
  std::optional<Live> live;

  // A comparing pipeline: the outcomes so far.
  std::optional<ComparisonCounts> comparison;

  // Keys that reached the end of the pipeline, one way or another.
  std::uint64_t done() const {
    return written + deleted + skipped + failed + (comparison ? comparison->keys() : 0);
  }

  // The total shown: the estimate, but never below the keys the source has
  // already emitted (an estimate made early, or before keys were created,
  // falls short).
  std::optional<std::uint64_t> shown_total() const;

  // Share of the total shown that is done, clamped to [0, 1].
  std::optional<double> fraction() const;
};

struct ProgressFigures {
  ProgressSnapshot snapshot;
  double keys_per_second = 0;
  double events_per_second = 0;  // live replication
  double elapsed_seconds = 0;
};

// "[=========>          ]  45%  450000/1000000 keys  85.2k keys/s  ETA 6.0s
// written 449000  ..." fitted into `width` columns: the bar is shortened
// first, then dropped, then the least needed figures (written, skipped, the
// rate, the ETA); a figure is shown whole or not at all.
std::string format_progress_bar(const ProgressFigures& figures, std::size_t width);

// "progress: 45% 450000/1000000 keys, written 449000, ..., 85.2k keys/s, ETA 6.0s"
// and, in live replication, "; events 1.2k/s, waiting 3, lag p50 1.2 ms p99 4.0 ms".
std::string format_progress_log_line(const ProgressFigures& figures);

// "listening: 1.2k events/s  3 waiting  lag p50 1.2 ms p99 4.0 ms": the live
// figures of a run that follows changes.
std::string format_live_figures(const ProgressFigures& figures);

}  // namespace riot::host
