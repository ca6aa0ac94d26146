#pragma once
// Where a chunked read of a stream stands, kept in ChunkCursor::position
// (which only this datatype interprets): the last entry id read, and, once
// the entries are read up to the end, the groups whose consumers and pending
// entries the next chunk asks for, with the stream's metadata. A chunk is the
// last only when it read the entries to the end and queried every group the
// stream has.

#include <string>
#include <string_view>
#include <vector>

namespace riot::stream_plugin {

struct StreamChunkPosition {
  std::string last_id;  // "" before the first chunk
  bool groups_known = false;
  std::vector<std::string> groups;  // binary-safe names
};

std::string encode_position(const StreamChunkPosition& position);

// Throws std::invalid_argument for a position encode_position did not make.
StreamChunkPosition decode_position(std::string_view text);

}  // namespace riot::stream_plugin
