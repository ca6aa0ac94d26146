#include "lag_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace riot::host {

namespace {

// Bucket b holds lags up to kBase^b microseconds.
constexpr double kBase = 1.04;

}  // namespace

std::size_t LagHistogram::bucket_of(std::chrono::microseconds lag) noexcept {
  const auto us = lag.count();
  if (us <= 1) return 0;
  const auto bucket =
      static_cast<std::size_t>(std::ceil(std::log(static_cast<double>(us)) / std::log(kBase)));
  return std::min(bucket, kBuckets - 1);
}

double LagHistogram::bucket_ceiling_ms(std::size_t bucket) noexcept {
  return std::pow(kBase, static_cast<double>(bucket)) / 1000.0;
}

void LagHistogram::add(std::chrono::microseconds lag) noexcept {
  const std::chrono::microseconds clamped = std::max(lag, std::chrono::microseconds(0));
  ++counts_[bucket_of(clamped)];
  ++samples_;
  sum_us_ += static_cast<double>(clamped.count());
  max_us_ = std::max<std::int64_t>(max_us_, clamped.count());
}

void LagHistogram::merge(const LagHistogram& other) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  samples_ += other.samples_;
  sum_us_ += other.sum_us_;
  max_us_ = std::max(max_us_, other.max_us_);
}

void LagHistogram::clear() noexcept {
  counts_.fill(0);
  samples_ = 0;
  sum_us_ = 0;
  max_us_ = 0;
}

double LagHistogram::quantile_ms(double quantile) const noexcept {
  // The rank of the sample the quantile falls on, 1-based.
  const auto rank = static_cast<std::uint64_t>(
      std::max(1.0, std::ceil(quantile * static_cast<double>(samples_))));
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < kBuckets; ++bucket) {
    seen += counts_[bucket];
    if (seen >= rank) {
      // Never above the largest lag seen.
      return std::min(bucket_ceiling_ms(bucket), static_cast<double>(max_us_) / 1000.0);
    }
  }
  return static_cast<double>(max_us_) / 1000.0;
}

LagPercentiles LagHistogram::percentiles() const noexcept {
  LagPercentiles result;
  result.samples = samples_;
  if (samples_ == 0) return result;
  result.sum_ms = sum_us_ / 1000.0;
  result.p50_ms = quantile_ms(0.50);
  result.p90_ms = quantile_ms(0.90);
  result.p99_ms = quantile_ms(0.99);
  result.max_ms = static_cast<double>(max_us_) / 1000.0;
  return result;
}

std::int64_t LagRecorder::second_of(Clock::time_point when) const {
  return std::chrono::duration_cast<std::chrono::seconds>(when - start_).count();
}

std::size_t LagRecorder::record(std::span<const Record> records,
                                Clock::time_point acknowledged_at) {
  const Clock::time_point unset{};
  const std::int64_t now = second_of(acknowledged_at);
  std::size_t counted = 0;
  const std::lock_guard lock(mutex_);
  Second& second = window_[static_cast<std::size_t>(now) % kWindowSeconds];
  if (second.number != now) {
    second.number = now;
    second.histogram.clear();
  }
  for (const Record& record : records) {
    if (record.origin != KeyOrigin::notification || record.observed_at == unset) continue;
    if (!record.completes_key()) continue;  // a key's change is applied with its last chunk
    const auto lag =
        std::chrono::duration_cast<std::chrono::microseconds>(acknowledged_at - record.observed_at);
    overall_.add(lag);
    second.histogram.add(lag);
    ++counted;
  }
  return counted;
}

std::optional<LagPercentiles> LagRecorder::recent(Clock::time_point now) const {
  const std::int64_t current = second_of(now);
  LagHistogram merged;
  const std::lock_guard lock(mutex_);
  for (const Second& second : window_) {
    if (second.number >= 0 && current - second.number < static_cast<std::int64_t>(kWindowSeconds))
      merged.merge(second.histogram);
  }
  if (merged.samples() == 0) return std::nullopt;
  return merged.percentiles();
}

std::optional<LagPercentiles> LagRecorder::overall() const {
  const std::lock_guard lock(mutex_);
  if (overall_.samples() == 0) return std::nullopt;
  return overall_.percentiles();
}

}  // namespace riot::host
