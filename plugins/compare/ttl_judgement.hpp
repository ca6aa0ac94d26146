#pragma once
// Whether two keys' expiries agree. A TTL is a duration measured at a moment:
// the source's is turned into a deadline on riot's steady clock by its reader
// (Record::expiry), the target's here, from the moment its PTTL was sent. Two
// deadlines further apart than the tolerance differ; a persistent key and a
// volatile one always differ.

#include <cstdint>
#include <optional>
#include <string>

#include "riot/record.hpp"

namespace riot::compare_plugin {

// PTTL's answers for a key without expiry and for a key that does not exist.
inline constexpr std::int64_t kPttlPersistent = -1;
inline constexpr std::int64_t kPttlMissing = -2;

// The PTTL `expiry` makes at `at`: -1 for a persistent key, else the
// milliseconds left (0 once it has passed).
std::int64_t pttl_at(const Expiry& expiry, Expiry::Clock::time_point at);

// The expiry a PTTL reply gives, its command sent at `sent_at` (either side).
Expiry expiry_from_pttl(std::int64_t pttl, Expiry::Clock::time_point sent_at);

// Nothing when the two expiries agree within `tolerance_ms`; otherwise the
// detail of the difference, both TTLs as of `at` ("ttl 12000 ms vs 9000 ms",
// "ttl 5000 ms vs persistent").
std::optional<std::string> judge_ttl(const Expiry& source, const Expiry& target,
                                     std::int64_t tolerance_ms, Expiry::Clock::time_point at);

}  // namespace riot::compare_plugin
