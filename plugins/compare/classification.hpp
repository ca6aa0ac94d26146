#pragma once
// The classification of a key from what both sides hold, in the order of
// precedence of the classes: missing or extra, then type, then value, then
// ttl. One rule for every record form and for both looks at a key.

#include <cstdint>
#include <optional>
#include <string>

#include "key_look.hpp"
#include "riot/datatype.hpp"
#include "riot/record.hpp"

namespace riot::compare_plugin {

// Both sides of a key as one look found them.
struct KeySides {
  std::string source_type;  // "" when the source lacks the key
  std::string target_type;  // "" when the target lacks the key
  Expiry source_expiry;
  Expiry target_expiry;
  std::int64_t target_pttl = -2;  // as the target answered
  // When the target's commands were sent: the moment both TTLs are shown at.
  Expiry::Clock::time_point looked_at{};
};

// Classifies the key. `value` is how the values compared (equal when not
// compared); it only counts when both sides hold the same type.
KeyLook classify(KeySides sides, const ValueComparison& value, std::int64_t ttl_tolerance_ms);

}  // namespace riot::compare_plugin
