#pragma once
// The rate limit of a pipeline (runtime.rate_keys, runtime.rate_bytes): one
// limiter shared by every reader worker of every pass, so that the limit
// holds for the pipeline as a whole, however many threads read.
//
// Each limit is a schedule (the "virtual scheduling" form of a token
// bucket): a reservation of n units starts at the schedule's next free time,
// or now when that is past, and moves the next free time n / rate later. No
// credit builds up while nothing is read, so a quiet minute is not followed
// by a burst; at most one round may go before its time is paid (the first).
// Bytes are known only once read: they are charged after the read and delay
// the next reservation.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include "riot/host/pipeline_spec.hpp"

namespace riot::host {

// One limit: pure logic, its clock given by the caller.
class RateSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second`: units per second; 0 for no limit.
  explicit RateSchedule(std::uint64_t per_second) : per_second_(per_second) {}

  bool limited() const noexcept { return per_second_ > 0; }
  // Reserves `units` at `now`: when they may be taken (now, or later).
  Clock::time_point reserve(Clock::time_point now, std::uint64_t units);
  // When the next reservation could start.
  Clock::time_point next_free(Clock::time_point now) const;

 private:
  std::uint64_t per_second_;
  Clock::time_point next_free_{};
};

class RateLimiter {
 public:
  using Clock = RateSchedule::Clock;

  RateLimiter(std::uint64_t keys_per_second, std::uint64_t bytes_per_second)
      : keys_(keys_per_second), bytes_(bytes_per_second) {}

  bool limited() const noexcept { return keys_.limited() || bytes_.limited(); }

  // Reserves `keys` at `now`: the time the round of reads may start (the
  // later of the two limits). Thread-safe.
  Clock::time_point reserve_keys(Clock::time_point now, std::uint64_t keys);
  // Charges bytes already read at `now`: later reservations wait for them.
  // Thread-safe.
  void charge_bytes(Clock::time_point now, std::uint64_t bytes);

  // Blocks until `keys` may be taken, waking often enough to see `stopped`
  // turn true; false when it did. Returns at once without a limit.
  bool wait_for_keys(std::uint64_t keys, const std::function<bool()>& stopped);
  // Seconds spent waiting in wait_for_keys, over every reader.
  double seconds_waited() const;

 private:
  mutable std::mutex mutex_;
  RateSchedule keys_;
  RateSchedule bytes_;
  Clock::duration waited_{};
};

// A pipeline's limits, shared by all its passes: what its readers take from
// the source (keys and bytes), and how fast its walks (SCAN) go, so that a
// scan does not run a whole queue ahead of limited reads. Notifications are
// never held back: the server does not wait for a subscriber.
struct PipelineRateLimits {
  explicit PipelineRateLimits(const RuntimeSettings& runtime)
      : reads(runtime.rate_keys, runtime.rate_bytes), walks(runtime.rate_keys, 0) {}
  RateLimiter reads;
  RateLimiter walks;
};

}  // namespace riot::host
