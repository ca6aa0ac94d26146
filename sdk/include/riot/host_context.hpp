#pragma once
// What the host gives every component: logging, metrics, cancellation and a
// place to report keys that could not be moved. Plugins keep no globals of
// their own for these.

#include <string_view>

#include "riot/cancellation.hpp"
#include "riot/metrics.hpp"

namespace spdlog {
class logger;
}

namespace riot {

class HostContext {
 public:
  virtual ~HostContext() = default;

  virtual spdlog::logger& logger() = 0;
  virtual Metrics& metrics() = 0;
  virtual const CancellationToken& cancellation() const = 0;

  // A key that could not be applied: counted in keys_failed and grouped with
  // the keys that failed alike for the log and the run summary (the first of
  // each cause logged as a warning, each key at debug level). `error` says
  // why ("RESTORE failed: BUSYKEY ..."); a component that cannot go on for
  // any key throws instead. Thread-safe.
  virtual void report_failure(std::string_view key, std::string_view error) = 0;
};

}  // namespace riot
