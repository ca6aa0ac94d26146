#include "host_context_impl.hpp"

#include <chrono>
#include <utility>

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

void HostContextImpl::report_failure(std::string_view key, std::string_view error) {
  Metrics::add(metrics_.keys_failed, 1);
  failures_.add(key, error);
}

}  // namespace riot::host
