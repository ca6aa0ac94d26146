#include "ttl_judgement.hpp"

#include <algorithm>
#include <chrono>

namespace riot::compare_plugin {
namespace {

std::string describe_ttl(std::int64_t pttl) {
  return pttl == kPttlPersistent ? std::string("persistent") : std::to_string(pttl) + " ms";
}

}  // namespace

std::int64_t pttl_at(const Expiry& expiry, Expiry::Clock::time_point at) {
  if (expiry.is_persistent()) return kPttlPersistent;
  return std::max<std::int64_t>(0, expiry.remaining_ms(at));
}

Expiry expiry_from_pttl(std::int64_t pttl, Expiry::Clock::time_point sent_at) {
  return pttl < 0 ? Expiry() : Expiry::after(pttl, sent_at);
}

std::optional<std::string> judge_ttl(const Expiry& source, const Expiry& target,
                                     std::int64_t tolerance_ms, Expiry::Clock::time_point at) {
  if (source.is_persistent() && target.is_persistent()) return std::nullopt;
  if (!source.is_persistent() && !target.is_persistent()) {
    const auto apart = std::chrono::abs(source.deadline() - target.deadline());
    if (apart <= std::chrono::milliseconds(tolerance_ms)) return std::nullopt;
  }
  return "ttl " + describe_ttl(pttl_at(source, at)) + " vs " + describe_ttl(pttl_at(target, at));
}

}  // namespace riot::compare_plugin
