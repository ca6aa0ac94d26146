#pragma once
// Replication lag: the time from the moment riot learned of a change (a
// keyspace notification's arrival) to the moment the target acknowledged the
// write that carries it. Kept as histograms with logarithmic buckets (about
// 4% apart, so a percentile is off by at most that much), for the whole run
// (the summary) and per second over the last seconds (the progress display:
// the lag now, not since the start).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>

#include "riot/host/runtime.hpp"
#include "riot/record.hpp"

namespace riot::host {

// The figures the summary shows (riot/host/runtime.hpp).
using LagPercentiles = LagFigures;

class LagHistogram {
 public:
  void add(std::chrono::microseconds lag) noexcept;
  void merge(const LagHistogram& other) noexcept;
  void clear() noexcept;
  LagPercentiles percentiles() const noexcept;
  std::uint64_t samples() const noexcept { return samples_; }

  // The bucket of a lag, and the largest lag a bucket holds.
  static std::size_t bucket_of(std::chrono::microseconds lag) noexcept;
  static double bucket_ceiling_ms(std::size_t bucket) noexcept;

  // Up to about 8 minutes; beyond, the last bucket (the maximum stays exact).
  static constexpr std::size_t kBuckets = 512;

 private:
  double quantile_ms(double quantile) const noexcept;

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t samples_ = 0;
  double sum_us_ = 0;  // for the mean (a Prometheus summary's _sum)
  std::int64_t max_us_ = 0;
};

class LagRecorder {
 public:
  using Clock = Expiry::Clock;
  static constexpr std::size_t kWindowSeconds = 10;

  // The lag of every record of `records` that came from a notification,
  // acknowledged at `acknowledged_at`. Returns how many there were.
  // Thread-safe: sink workers call it after each batch.
  std::size_t record(std::span<const Record> records, Clock::time_point acknowledged_at);

  // Over the last kWindowSeconds before `now`; nothing without a sample.
  std::optional<LagPercentiles> recent(Clock::time_point now) const;
  // Over the whole run; nothing without a sample.
  std::optional<LagPercentiles> overall() const;

 private:
  struct Second {
    std::int64_t number = -1;  // seconds since start_
    LagHistogram histogram;
  };

  std::int64_t second_of(Clock::time_point when) const;

  const Clock::time_point start_ = Clock::now();
  mutable std::mutex mutex_;
  LagHistogram overall_;
  std::array<Second, kWindowSeconds> window_{};
};

}  // namespace riot::host
