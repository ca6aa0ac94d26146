#include "host_context_impl.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "component_logger.hpp"
#include "endpoint_overlap.hpp"

namespace riot::host {
namespace {

// How often the log says, per cause, how many keys failed so far: a target
// that refuses millions of keys costs a line every so often, not a line per
// key.
constexpr auto kFailureCountPeriod = std::chrono::seconds(10);

}  // namespace

HostContextImpl::HostContextImpl(std::shared_ptr<spdlog::logger> logger,
                                 std::size_t keys_named_per_cause)
    : logger_(std::move(logger)), failures_(*logger_, keys_named_per_cause, kFailureCountPeriod) {}

std::shared_ptr<spdlog::logger> HostContextImpl::component_logger(const std::string& component) {
  const std::lock_guard lock(loggers_mutex_);
  std::shared_ptr<spdlog::logger>& logger = component_loggers_[component];
  if (!logger) logger = make_component_logger(logger_, component);
  return logger;
}

void HostContextImpl::report_failure(std::string_view key, std::string_view error) {
  Metrics::add(metrics_.keys_failed, 1);
  failures_.add(key, error);
}

void HostContextImpl::report_endpoint(EndpointUse use, EndpointIdentity identity) {
  std::lock_guard lock(reports_mutex_);
  (use == EndpointUse::read ? reads_ : writes_).push_back(std::move(identity));
}

void HostContextImpl::add_summary_note(std::string_view note) {
  std::lock_guard lock(reports_mutex_);
  notes_.emplace_back(note);
}

void HostContextImpl::request_reconciliation(std::string_view reason) {
  // The run sets the handler before any component exists; it counts, logs
  // and says so when the pipeline has no reconciliation sources.
  if (reconciliation_handler_) reconciliation_handler_(reason);
}

const Datatype* HostContextImpl::datatype(std::string_view type_name) {
  const auto found = datatypes_.find(type_name);
  return found == datatypes_.end() ? nullptr : found->second;
}

void HostContextImpl::report_equal(std::uint64_t keys, std::uint64_t after_recheck) {
  if (comparison_ != nullptr) comparison_->report_equal(keys, after_recheck);
}

void HostContextImpl::report_difference(const KeyDifference& difference) {
  if (comparison_ != nullptr) comparison_->report_difference(difference);
}

std::vector<std::string> HostContextImpl::summary_notes() const {
  std::lock_guard lock(reports_mutex_);
  return notes_;
}

std::optional<std::string> HostContextImpl::refuse_overlapping_endpoints() {
  EndpointOverlap overlap;
  {
    std::lock_guard lock(reports_mutex_);
    overlap = find_endpoint_overlap(reads_, writes_);
  }
  for (const std::string& note : overlap.unverified) logger_->warn("{}", note);
  return overlap.conflict;
}

}  // namespace riot::host
