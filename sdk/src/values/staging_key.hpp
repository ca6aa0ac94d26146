#pragma once
// The names of staging keys: where a big key overwritten in chunks is built
// before RENAME puts it in place. RENAME needs both keys in one cluster slot,
// so a staging key starts with a hash tag chosen to hash to the slot of the
// key it stands for: "{<tag>}riot:staging:<run>:<key>". That works for any
// key, binary or holding braces of its own (only the first {...} counts),
// unlike reusing the key's own hash tag, which a key need not have.

#include <cstdint>
#include <string>
#include <string_view>

namespace riot::values {

inline constexpr std::string_view kStagingPrefix = "riot:staging:";

// A short tag without braces whose slot is `slot` (0 to 16383).
std::string_view slot_tag(std::uint16_t slot);

// The staging key of `key` for the run `run_tag`.
std::string staging_key(std::string_view key, std::string_view run_tag);

// A tag that tells this process's staging keys from another's (several riot
// processes may copy into one target): eight hex digits, random.
std::string new_run_tag();

}  // namespace riot::values
