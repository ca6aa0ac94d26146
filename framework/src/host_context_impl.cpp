#include "host_context_impl.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <utility>

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

std::vector<FailedKey> HostContextImpl::first_failures() const {
  std::lock_guard lock(failures_mutex_);
  return first_failures_;
}

}  // namespace riot::host
