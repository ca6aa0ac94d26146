#include "host_context_impl.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <utility>

#include "endpoint_overlap.hpp"
#include "riot/record.hpp"

namespace riot::host {

HostContextImpl::HostContextImpl(std::shared_ptr<spdlog::logger> logger, std::size_t failures_kept)
    : logger_(std::move(logger)), failures_kept_(failures_kept) {
  first_failures_.reserve(failures_kept_);
}

namespace {

// Every failed key is logged, but past this many at debug level only: a
// target that fills up can refuse millions of keys, and a warning per key
// would bury everything else. The summary still counts them all.
constexpr std::uint64_t kFailuresLoggedAsWarnings = 1000;

}  // namespace

void HostContextImpl::report_failure(std::string_view key, std::string_view error) {
  const std::uint64_t failures_before =
      metrics_.keys_failed.fetch_add(1, std::memory_order_relaxed);
  if (failures_before < kFailuresLoggedAsWarnings) {
    logger_->warn("key \"{}\": {}", printable_key(key), error);
  } else {
    if (failures_before == kFailuresLoggedAsWarnings)
      logger_->warn("more than {} keys failed: further failures are logged at debug level (-d)",
                    kFailuresLoggedAsWarnings);
    logger_->debug("key \"{}\": {}", printable_key(key), error);
  }
  std::lock_guard lock(failures_mutex_);
  if (first_failures_.size() < failures_kept_) {
    first_failures_.push_back(FailedKey{std::string(key), std::string(error)});
  }
}

void HostContextImpl::report_endpoint(EndpointUse use, EndpointIdentity identity) {
  std::lock_guard lock(reports_mutex_);
  (use == EndpointUse::read ? reads_ : writes_).push_back(std::move(identity));
}

void HostContextImpl::add_summary_note(std::string_view note) {
  std::lock_guard lock(reports_mutex_);
  notes_.emplace_back(note);
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

std::vector<FailedKey> HostContextImpl::first_failures() const {
  std::lock_guard lock(failures_mutex_);
  return first_failures_;
}

}  // namespace riot::host
