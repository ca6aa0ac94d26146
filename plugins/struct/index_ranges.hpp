#pragma once
// Chunks read by index ranges (LRANGE key i j, ZRANGE key i j WITHSCORES)
// with the key's length in the same group (LLEN, ZCARD): the elements come
// in the key's own order, which a list needs, and which makes a sorted set
// cheap to rebuild (ZADD in score order appends to the skiplist; in SCAN's
// hash order every insert lands somewhere else in memory, several times
// slower on a set of millions).

#include <cstddef>
#include <span>
#include <string_view>

#include "riot/datatype.hpp"

namespace riot::struct_plugin {

struct RangeCommands {
  std::string_view range;   // "LRANGE"
  std::string_view length;  // "LLEN"
  bool with_scores;         // ZRANGE ... WITHSCORES
  std::size_t stride;       // parts per element
};

// Appends the range command and the length command: 2.
std::size_t append_range_chunk(const RangeCommands& commands, std::string_view key,
                               const ChunkCursor& cursor, redis::KeyedCommands& out);

// Decodes one range: gone when the length is 0 (Redis holds no empty list or
// sorted set), done once the index reaches the length.
ReadStatus decode_range_chunk(const RangeCommands& commands, std::span<redis::Reply> replies,
                              ChunkCursor& cursor, std::size_t chunk_bytes, Record& record);

}  // namespace riot::struct_plugin
