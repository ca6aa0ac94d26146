#include "host_context_impl.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "riot/record.hpp"

namespace riot::host {

HostContextImpl::HostContextImpl(std::shared_ptr<spdlog::logger> logger, std::size_t failures_kept)
    : logger_(std::move(logger)), failures_kept_(failures_kept) {
  first_failures_.reserve(failures_kept_);
}

void HostContextImpl::report_failure(std::string_view key, std::string_view error) {
  Metrics::add(metrics_.keys_failed, 1);
  logger_->warn("key \"{}\": {}", printable_key(key), error);
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
