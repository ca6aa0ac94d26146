#pragma once
// A big stream compared chunk by chunk (Datatype::append_chunk_probe): each
// source chunk's entries against the target's entries of the same id range,
// XRANGE key (<last id checked> <chunk's last id> COUNT n+1, the last chunk's
// range open to the end ("+"), so that the ranges cover the whole target and
// an entry only the target holds is found in the range it falls in. The last
// chunk also reads the target's metadata as the chunked read does (XINFO
// STREAM, XINFO GROUPS, each group's XINFO CONSUMERS and XPENDING, TIME)
// and, for every id pending on the source, whether the stream holds its
// message (XRANGE key id id): a pending entry whose message is gone cannot
// be rebuilt and is left out, as in the whole comparison. EXISTS with every
// chunk tells a missing key. ChunkProbe::position is the last id checked.

#include <cstddef>
#include <span>
#include <string_view>

#include "riot/datatype.hpp"
#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace riot::stream_plugin {

std::size_t append_stream_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                      std::string_view key, redis::KeyedCommands& commands);

ValueComparison decode_stream_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                          ChunkProbe& probe);

}  // namespace riot::stream_plugin
