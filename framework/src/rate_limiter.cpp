#include "rate_limiter.hpp"

#include <algorithm>
#include <thread>

namespace riot::host {

namespace {

// How long a waiting reader sleeps at most before it looks at the
// cancellation token: a signal stops a limited run promptly.
constexpr auto kWaitSlice = std::chrono::milliseconds(50);

RateSchedule::Clock::duration time_for(std::uint64_t units, std::uint64_t per_second) {
  const auto nanoseconds = static_cast<double>(units) * 1e9 / static_cast<double>(per_second);
  return std::chrono::duration_cast<RateSchedule::Clock::duration>(
      std::chrono::duration<double, std::nano>(nanoseconds));
}

}  // namespace

RateSchedule::Clock::time_point RateSchedule::reserve(Clock::time_point now, std::uint64_t units) {
  if (!limited()) return now;
  const Clock::time_point start = next_free(now);
  next_free_ = start + time_for(units, per_second_);
  return start;
}

RateSchedule::Clock::time_point RateSchedule::next_free(Clock::time_point now) const {
  return std::max(now, next_free_);
}

RateLimiter::Clock::time_point RateLimiter::reserve_keys(Clock::time_point now,
                                                         std::uint64_t keys) {
  const std::lock_guard lock(mutex_);
  // Bytes read before: the round waits for them too, then takes its keys.
  const Clock::time_point bytes_paid = bytes_.next_free(now);
  return std::max(bytes_paid, keys_.reserve(bytes_paid, keys));
}

void RateLimiter::charge_bytes(Clock::time_point now, std::uint64_t bytes) {
  if (!bytes_.limited()) return;  // every reader's every round: no lock for nothing to charge
  const std::lock_guard lock(mutex_);
  bytes_.reserve(now, bytes);
}

bool RateLimiter::wait_for_keys(std::uint64_t keys, const std::function<bool()>& stopped) {
  if (!limited()) return !stopped();
  const Clock::time_point asked = Clock::now();
  const Clock::time_point start = reserve_keys(asked, keys);
  while (!stopped()) {
    const Clock::time_point now = Clock::now();
    if (now >= start) {
      const std::lock_guard lock(mutex_);
      waited_ += now - asked;
      return true;
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(start - now, kWaitSlice));
  }
  return false;
}

double RateLimiter::seconds_waited() const {
  const std::lock_guard lock(mutex_);
  return std::chrono::duration<double>(waited_).count();
}

}  // namespace riot::host
