#pragma once
// The Redis type a DUMP payload holds, from its first byte (the RDB object
// type), so that a dump record whose reader did not send TYPE can still be
// compared by type.

#include <optional>
#include <string_view>

namespace riot::compare_plugin {

// "hash" for a hash in any encoding; nothing for a module value (whose type
// name the payload holds only as a 64-bit module id) or an unknown byte.
std::optional<std::string_view> type_of_dump(std::string_view payload);

}  // namespace riot::compare_plugin
