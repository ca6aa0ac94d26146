#pragma once
// Reading a big stream in chunks: XRANGE key (last-id + COUNT step, with
// XINFO GROUPS beside it for the names of the groups. Once the entries are
// read to the end, the next chunks ask beside their XRANGE for the stream's
// metadata (XINFO STREAM, XINFO GROUPS), each known group's consumers (XINFO
// CONSUMERS) and pending entries (XPENDING, with TIME to turn idle times into
// delivery times); the one that finds no new entry and no new group is the
// last and carries the metadata. A chunk holds about chunk_bytes of entries:
// the metadata is read once, at the end, since XINFO STREAM would return the
// first and last entries with every chunk.

#include <cstddef>
#include <span>
#include <string_view>

#include "riot/datatype.hpp"
#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace riot::stream_plugin {

std::size_t append_stream_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                     redis::KeyedCommands& commands);

ReadStatus decode_stream_chunk(std::span<redis::Reply> replies, ChunkCursor& cursor,
                               std::size_t chunk_bytes, Record& record);

}  // namespace riot::stream_plugin
