#include "riot/retry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <thread>

#include "riot/record.hpp"
#include "riot/redis/errors.hpp"

namespace riot {
namespace {

using std::chrono::milliseconds;

// Defaults, shared by the struct's initialisers and the schema.
const RetryOptions kDefaults{};

// Bounds of the schema: a day at most between attempts, and few enough
// retries that the backoff arithmetic cannot overflow.
constexpr std::int64_t kMaxRetries = 1000000;
constexpr std::int64_t kMaxDelayMs = 24 * 3600 * 1000;

// How often a backoff wait looks at the cancellation token.
constexpr milliseconds kCancellationCheck{20};

}  // namespace

milliseconds RetryOptions::delay_before(int retry) const noexcept {
  const milliseconds cap = std::max(max_delay, delay);
  milliseconds wait = delay;
  // Doubling stops at the cap, so the loop runs a few dozen times at most
  // and never overflows.
  for (int i = 1; i < retry && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

RetryOptions RetryOptions::from_config(const nlohmann::json& config) {
  RetryOptions options;
  if (!config.is_object()) return options;
  options.retries = static_cast<int>(config.value("retries", std::int64_t{kDefaults.retries}));
  options.delay = milliseconds(config.value("retry_delay_ms", kDefaults.delay.count()));
  options.max_delay = milliseconds(config.value("retry_max_delay_ms", kDefaults.max_delay.count()));
  return options;
}

nlohmann::json RetryOptions::schema_properties() {
  return {
      {"retries",
       {{"type", "integer"},
        {"minimum", 0},
        {"maximum", kMaxRetries},
        {"default", kDefaults.retries},
        {"description",
         "Retries of an operation that failed for a transient reason before giving up; 0: none. "
         "Transient: a lost connection, a timeout, a malformed reply, and the error replies " +
             redis::transient_error_replies_text() +
             ". Each retry reconnects when the connection was lost and re-sends what was not "
             "acknowledged."}}},
      {"retry_delay_ms",
       {{"type", "integer"},
        {"minimum", 0},
        {"maximum", kMaxDelayMs},
        {"default", kDefaults.delay.count()},
        {"description",
         "Wait before the first retry, in milliseconds; it doubles at each further retry, up to "
         "retry_max_delay_ms."}}},
      {"retry_max_delay_ms",
       {{"type", "integer"},
        {"minimum", 0},
        {"maximum", kMaxDelayMs},
        {"default", kDefaults.max_delay.count()},
        {"description", "Longest wait between two attempts, in milliseconds."}}},
  };
}

RetryBudget::RetryBudget(const RetryOptions& options, const CancellationToken& cancellation)
    : options_(options), cancellation_(cancellation), started_(std::chrono::steady_clock::now()) {}

RetryVerdict RetryBudget::after_failure(spdlog::logger& logger, std::string_view failure) {
  if (cancellation_.cancelled()) return RetryVerdict::cancelled;
  if (retries_made_ >= options_.retries) return RetryVerdict::exhausted;
  ++retries_made_;
  const milliseconds wait = options_.delay_before(retries_made_);
  logger.warn("{}; retry {} of {} in {} ms", failure, retries_made_, options_.retries,
              wait.count());
  if (!sleep_unless_cancelled(wait, cancellation_)) return RetryVerdict::cancelled;
  return RetryVerdict::retry;
}

std::string RetryBudget::describe_attempts() const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
  return "after " + std::to_string(retries_made_) + (retries_made_ == 1 ? " retry" : " retries") +
         " in " + elapsed;
}

bool sleep_unless_cancelled(milliseconds delay, const CancellationToken& cancellation) {
  const auto end = std::chrono::steady_clock::now() + delay;
  for (;;) {
    if (cancellation.cancelled()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(end - now, kCancellationCheck));
  }
}

std::string describe_keys(std::size_t count, const std::vector<std::string_view>& first) {
  std::string text = std::to_string(count) + (count == 1 ? " key" : " keys");
  if (first.empty()) return text;
  text += first.size() < count ? " (first: " : " (";
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (i > 0) text += ", ";
    text += '"' + printable_key(first[i]) + '"';
  }
  return text + ")";
}

std::string cause_of(const redis::Error& error) {
  const std::string_view message = error.what();
  const std::string& endpoint = error.endpoint();
  if (!endpoint.empty() && message.size() > endpoint.size() + 2 && message.starts_with(endpoint) &&
      message.substr(endpoint.size(), 2) == ": ")
    return std::string(message.substr(endpoint.size() + 2));
  return std::string(message);
}

}  // namespace riot
