#include "classification.hpp"

#include <utility>

#include "ttl_judgement.hpp"

namespace riot::compare_plugin {

KeyLook classify(KeySides sides, const ValueComparison& value, std::int64_t ttl_tolerance_ms) {
  KeyLook look;
  // A source key whose TTL ran out before the target was read is gone: the
  // target's copy expires alike.
  const bool source_holds =
      !sides.source_type.empty() && !sides.source_expiry.has_expired(sides.looked_at);
  const bool target_holds = !sides.target_type.empty();
  look.source_ttl_ms =
      !sides.source_type.empty() ? pttl_at(sides.source_expiry, sides.looked_at) : kPttlMissing;
  look.target_ttl_ms = target_holds ? sides.target_pttl : kPttlMissing;
  look.source_type = std::move(sides.source_type);
  look.target_type = std::move(sides.target_type);

  const auto differs = [&look](DifferenceClass difference, std::string detail) {
    look.outcome = KeyLook::Outcome::differs;
    look.difference = difference;
    look.detail = std::move(detail);
    return std::move(look);
  };
  if (!source_holds && !target_holds) {
    look.outcome = KeyLook::Outcome::neither;
    return look;
  }
  // The side that holds the key says what it holds.
  const auto held = [](const std::string& type, std::int64_t pttl) {
    return type + ", " +
           (pttl == kPttlPersistent ? std::string("persistent")
                                    : "ttl " + std::to_string(pttl) + " ms");
  };
  if (!target_holds) {
    return differs(DifferenceClass::missing, "not on the target (source: " +
                                                 held(look.source_type, look.source_ttl_ms) + ")");
  }
  if (!source_holds) {
    return differs(DifferenceClass::extra, "not on the source (target: " +
                                               held(look.target_type, look.target_ttl_ms) + ")");
  }
  if (look.source_type != look.target_type)
    return differs(DifferenceClass::type, look.source_type + " vs " + look.target_type);
  if (!value.equal) return differs(DifferenceClass::value, value.detail);
  if (auto ttl =
          judge_ttl(sides.source_expiry, sides.target_expiry, ttl_tolerance_ms, sides.looked_at))
    return differs(DifferenceClass::ttl, std::move(*ttl));
  return look;
}

}  // namespace riot::compare_plugin
