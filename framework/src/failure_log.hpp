#pragma once
// Failed keys grouped by cause, for the log and the summary. A target that
// refuses every key must not bury the log under a warning per key: the first
// key of each cause is a warning at once, the later ones are counted and said
// in one line per cause at most once a period ("1532 keys (first: "k1", "k2",
// "k3") failed so far: RESTORE failed: OOM ..."), and the summary ends with
// the counts. Each key still has its own line at debug level.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "riot/host/runtime.hpp"

namespace spdlog {
class logger;
}

namespace riot::host {

// What makes two failures the same cause: the error text with the parts that
// vary from key to key taken out, i.e. the key itself (raw or escaped) and
// every number (a slot in a MOVED, a size, a port stays alike enough).
std::string failure_cause_of(std::string_view key, std::string_view error);

class FailureLog {
 public:
  using Clock = std::chrono::steady_clock;

  // Names up to `keys_named` keys per cause; says each cause's count at most
  // once per `period`.
  FailureLog(spdlog::logger& logger, std::size_t keys_named, Clock::duration period);

  // Thread-safe.
  void add(std::string_view key, std::string_view error);

  // In the order their first key failed.
  std::vector<FailureCause> causes() const;

 private:
  struct Cause {
    std::string signature;  // failure_cause_of()
    FailureCause failure;
    Clock::time_point said_at;  // when the log last gave its count
  };
  Cause& cause_for(std::string_view key, std::string_view error);

  spdlog::logger& logger_;
  const std::size_t keys_named_;
  const Clock::duration period_;
  mutable std::mutex mutex_;
  std::vector<Cause> causes_;
};

}  // namespace riot::host
