#pragma once
// Turns the replies of the stream read commands (XINFO STREAM [FULL], XRANGE,
// XINFO GROUPS, XINFO CONSUMERS, XPENDING, TIME; RESP2 shapes) into the
// parts layout of stream_parts.hpp, moving strings out of the replies. A
// reply of an unexpected shape throws redis::ReplyError naming the command
// and the field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/datatype.hpp"
#include "riot/redis/reply.hpp"

namespace riot::stream_plugin {

// What a read reply says about the key: an error reply "no such key" (XINFO
// on a missing key) is gone, WRONGTYPE another type; other error replies
// throw redis::ReplyError naming `command`.
ReadStatus read_status(const redis::Reply& reply, std::string_view command);

// XRANGE's entries ([[id, [field, value...]]...]): appends their count and
// the entries, and returns the bytes they hold.
std::size_t append_entries(redis::Reply& entries, std::vector<std::string>& parts,
                           std::string_view command);

// XINFO STREAM key FULL COUNT 0: every part of the layout.
void append_full_stream(redis::Reply& full, std::vector<std::string>& parts);

// The names of the groups XINFO GROUPS lists, in its order.
std::vector<std::string> group_names(const redis::Reply& groups);

// TIME's reply in unix milliseconds.
std::int64_t unix_ms_of(const redis::Reply& time);

// The metadata from XINFO STREAM (without FULL), XINFO GROUPS, and for every
// group the replies of XINFO CONSUMERS and XPENDING (two per group, in the
// order of `groups`); the server's time `now_ms` turns XPENDING's idle times
// into delivery times.
void append_queried_metadata(redis::Reply& stream_info, redis::Reply& groups,
                             std::span<redis::Reply> per_group, std::int64_t now_ms,
                             std::vector<std::string>& parts);

}  // namespace riot::stream_plugin
