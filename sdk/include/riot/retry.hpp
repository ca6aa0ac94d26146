#pragma once
// The retry policy every component that talks to Redis shares: how many times
// an operation that failed for a transient reason (a lost connection, a
// timeout, a reply the parser rejects, a server answering OOM or LOADING) is
// tried again, and how long to wait before each retry. The wait doubles at
// each retry up to a cap (exponential backoff), so a server that restarts
// gets room to come back while a blip costs a fraction of a second.
//
// Pipelines configure it with the same properties in every component:
//   retries, retry_delay_ms, retry_max_delay_ms
// (see RetryOptions::schema_properties; `riot replicate` maps --retry and
// --retry-delay onto them).
//
// Components do not loop over a RetryBudget themselves: RetryingPipeline
// (retrying_pipeline.hpp) sends their commands, retries and reconnects.

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "riot/cancellation.hpp"
#include "riot/redis/errors.hpp"

namespace spdlog {
class logger;
}

namespace riot {

struct RetryOptions {
  int retries = 10;                           // retries after the first attempt; 0: none
  std::chrono::milliseconds delay{100};       // the wait before the first retry
  std::chrono::milliseconds max_delay{5000};  // the longest wait between two attempts

  // The wait before retry number `retry` (1 for the first): `delay` doubled
  // at each retry, capped at max(max_delay, delay).
  std::chrono::milliseconds delay_before(int retry) const noexcept;

  // Reads the properties of schema_properties() from a component's
  // configuration; absent ones keep their defaults.
  static RetryOptions from_config(const nlohmann::json& config);

  // JSON Schema properties for a component's configuration: merge them into
  // the component's own properties (ConnectionOptions::component_schema then
  // adds the connection ones).
  static nlohmann::json schema_properties();
};

enum class RetryVerdict {
  retry,      // waited the backoff delay: try again
  exhausted,  // no retry left: give up
  cancelled,  // the run is stopping: give up without waiting
};

// The retries of one operation (a batch, a SCAN call). Create one per
// operation; call after_failure() each time an attempt fails.
class RetryBudget {
 public:
  RetryBudget(const RetryOptions& options, const CancellationToken& cancellation);

  // Logs the failure as a warning ("FAILURE; retry 3 of 10 in 400 ms": the
  // component's logger names the component),
  // then waits the backoff delay, waking early when the run is cancelled.
  // When no retry is left or the run is cancelled, returns at once and logs
  // nothing: the caller reports the outcome.
  RetryVerdict after_failure(spdlog::logger& logger, std::string_view failure);

  int retries_made() const noexcept { return retries_made_; }

  // "after 10 retries in 26.3 s": for the message of a caller that gives up.
  std::string describe_attempts() const;

 private:
  RetryOptions options_;
  const CancellationToken& cancellation_;
  std::chrono::steady_clock::time_point started_;
  int retries_made_ = 0;
};

// Sleeps for `delay` in short slices; returns false as soon as `cancellation`
// is cancelled (a stopping run must not wait out a 5 s backoff).
bool sleep_unless_cancelled(std::chrono::milliseconds delay, const CancellationToken& cancellation);

// Which error replies are worth a retry is decided with the rest of their
// classification, in riot/redis/errors.hpp.
using redis::is_out_of_memory_reply;
using redis::is_transient_error_reply;

// "3 keys (first: \"a\", \"b\", \"c\")": names the keys a component gives up
// on, `first` holding up to a few of the `count`, printable.
std::string describe_keys(std::size_t count, const std::vector<std::string_view>& first);

// A client error's message without its "ENDPOINT: " prefix: what a component
// that gives up puts in an error of its own about the same endpoint.
std::string cause_of(const redis::Error& error);

}  // namespace riot
