#pragma once
// The progress display of a run on stderr: a bar redrawn about five times a
// second on a terminal, a log line every `log_interval` otherwise, or nothing.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

#include "progress_line.hpp"
#include "riot/host/runtime.hpp"

namespace spdlog {
class logger;
}

namespace riot::host {

// Keys per second over the last few seconds, so that the rate and the ETA
// follow changes of pace instead of averaging over the whole run.
class RateWindow {
 public:
  using Clock = std::chrono::steady_clock;

  void add(Clock::time_point when, std::uint64_t done);
  double keys_per_second() const;

 private:
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
};

class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;

  // `automatic` becomes `bar` when stderr is a terminal, `log` otherwise.
  // The log lines go to `log` (null: stderr, after a timestamp).
  ProgressReporter(ProgressMode mode, std::chrono::milliseconds log_interval,
                   std::shared_ptr<spdlog::logger> log = nullptr);

  // Called often (every ~100 ms); draws only when the mode's period is due.
  void update(const ProgressSnapshot& snapshot);

  // The final state: the bar drawn one last time and its line ended, so that
  // what follows (the summary) starts on a line of its own. `completed`: the
  // source was exhausted, so whatever the estimate said, all is done.
  void finish(ProgressSnapshot snapshot, bool completed);

 private:
  ProgressFigures figures(const ProgressSnapshot& snapshot, Clock::time_point now) const;
  void draw_bar(const ProgressFigures& figures);

  ProgressMode mode_;
  std::shared_ptr<spdlog::logger> log_;
  Clock::duration period_;
  Clock::time_point start_;
  Clock::time_point last_output_;
  RateWindow rate_;
  RateWindow event_rate_;  // notifications per second (live replication)
};

}  // namespace riot::host
