#pragma once
// Reading a big stream in chunks: XRANGE key (last-id + COUNT step, with
// XINFO STREAM and XINFO GROUPS beside it to see whether the stream's end and
// every group were reached; once the entries are read to the end, the chunk
// asks for each group's consumers (XINFO CONSUMERS) and pending entries
// (XPENDING, with TIME to turn idle times into delivery times), and the chunk
// that finds nothing new to read is the last, with the metadata.

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
