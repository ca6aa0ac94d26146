#pragma once
// The host context of one run: what every component of the run shares.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "comparison_outcomes.hpp"
#include "failure_log.hpp"
#include "riot/host/runtime.hpp"
#include "riot/host_context.hpp"

namespace riot::host {

class HostContextImpl final : public HostContext {
 public:
  // Names up to `keys_named_per_cause` failed keys per cause.
  HostContextImpl(std::shared_ptr<spdlog::logger> logger, std::size_t keys_named_per_cause);

  spdlog::logger& logger() override { return *logger_; }
  // The run's logger with messages prefixed by `component`'s name: one per
  // component, shared by its instances. Thread-safe.
  std::shared_ptr<spdlog::logger> component_logger(const std::string& component);
  Metrics& metrics() override { return metrics_; }
  const Metrics& metrics() const { return metrics_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  void report_failure(std::string_view key, std::string_view error) override;
  void report_endpoint(EndpointUse use, EndpointIdentity identity) override;
  void add_summary_note(std::string_view note) override;
  // Forwarded to the handler the run sets (set_reconciliation_handler).
  void request_reconciliation(std::string_view reason) override;
  // Set before any component runs.
  void set_reconciliation_handler(std::function<void(std::string_view)> handler) {
    reconciliation_handler_ = std::move(handler);
  }

  const Datatype* datatype(std::string_view type_name) override;

  // Where a comparing pipeline's outcomes go; set before any component runs.
  void set_comparison(ComparisonOutcomes* outcomes) { comparison_ = outcomes; }
  ComparisonOutcomes* comparison() const { return comparison_; }
  void report_equal(std::uint64_t keys, std::uint64_t after_recheck) override;
  void report_difference(const KeyDifference& difference) override;
  // Before any reader or sink is created; not thread-safe (lookups are,
  // once registration is over).
  void register_datatype(std::string type_name, const Datatype& datatype) {
    datatypes_.emplace(std::move(type_name), &datatype);
  }

  // Tells every component to stop. The run's own token, distinct from the
  // caller's, so that a stop caused by a failing stage is not mistaken for an
  // interruption from outside.
  void cancel() noexcept { cancellation_.cancel(); }

  std::vector<FailureCause> failure_causes() const { return failures_.causes(); }
  std::vector<std::string> summary_notes() const;

  // Once every component is created: why the run must not start (an
  // endpoint written to is one read from), or nothing. Logs the pairs it
  // could compare by address only.
  std::optional<std::string> refuse_overlapping_endpoints();

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex loggers_mutex_;
  std::map<std::string, std::shared_ptr<spdlog::logger>> component_loggers_;
  std::function<void(std::string_view)> reconciliation_handler_;
  std::map<std::string, const Datatype*, std::less<>> datatypes_;
  ComparisonOutcomes* comparison_ = nullptr;
  Metrics metrics_;
  CancellationToken cancellation_;
  FailureLog failures_;
  mutable std::mutex reports_mutex_;  // guards reads_, writes_ and notes_
  std::vector<EndpointIdentity> reads_;
  std::vector<EndpointIdentity> writes_;
  std::vector<std::string> notes_;
};

}  // namespace riot::host
