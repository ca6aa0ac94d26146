#pragma once
// Stream entry ids ("1700000000000-3"): compared as the two numbers they are,
// since "9-0" sorts after "10-0" as text.

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace riot::stream_plugin {

struct StreamId {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;

  auto operator<=>(const StreamId&) const = default;
};

// The id `text` spells ("ms-seq", or "ms" for "ms-0"), or nothing when it is
// not an id.
std::optional<StreamId> parse_stream_id(std::string_view text);

}  // namespace riot::stream_plugin
