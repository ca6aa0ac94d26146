#include "stream_chunk_reads.hpp"

#include <algorithm>
#include <string>

#include "riot/redis/errors.hpp"
#include "stream_chunk_position.hpp"
#include "stream_replies.hpp"

namespace riot::stream_plugin {
namespace {

// Entries the first chunk asks for, before their size is known: few, since
// one entry may be megabytes; the steps grow fast from there.
constexpr std::uint64_t kFirstStep = 4;
// A chunk asks for at most this many times the entries of the one before, so
// that a few small entries never make the next chunk huge.
constexpr std::uint64_t kMaxGrowth = 4;
// XPENDING needs a count: every pending entry.
constexpr std::string_view kAllPending = "9223372036854775807";

std::uint64_t step_of(const ChunkCursor& cursor) {
  return cursor.step == 0 ? kFirstStep : cursor.step;
}

// The entries that hold about `chunk_bytes`, judged by the chunk just read.
std::uint64_t next_step(std::uint64_t step, std::size_t entries, std::size_t bytes,
                        std::size_t chunk_bytes) {
  if (entries == 0 || bytes == 0) return step;
  const std::uint64_t fitting = static_cast<std::uint64_t>(entries) * chunk_bytes / bytes;
  return std::clamp<std::uint64_t>(fitting, 1, step * kMaxGrowth);
}

// A group's XINFO CONSUMERS or XPENDING reply: false when the group went
// since XINFO GROUPS listed it (NOGROUP): the chunk is then not the last.
bool answered(const redis::Reply& reply, std::string_view command) {
  if (!reply.is_error()) return true;
  if (reply.str.starts_with("NOGROUP")) return false;
  throw redis::ReplyError("", std::string(command) + " failed: " + reply.str);
}

}  // namespace

std::size_t append_stream_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                     redis::KeyedCommands& commands) {
  const StreamChunkPosition position = decode_position(cursor.position);
  const std::string start = position.last_id.empty() ? "-" : "(" + position.last_id;
  const std::string step = std::to_string(step_of(cursor));
  commands.append(key, {"XRANGE", key, start, "+", "COUNT", step});
  if (!position.groups_known) {
    commands.append(key, {"XINFO", "GROUPS", key});
    return 2;
  }
  commands.append(key, {"XINFO", "STREAM", key});
  commands.append(key, {"XINFO", "GROUPS", key});
  for (const std::string& group : position.groups) {
    commands.append(key, {"XINFO", "CONSUMERS", key, group});
    commands.append(key, {"XPENDING", key, group, "-", "+", kAllPending});
  }
  commands.append(key, {"TIME"});
  return 4 + 2 * position.groups.size();
}

ReadStatus decode_stream_chunk(std::span<redis::Reply> replies, ChunkCursor& cursor,
                               std::size_t chunk_bytes, Record& record) {
  StreamChunkPosition position = decode_position(cursor.position);
  const bool final_phase = position.groups_known;
  const std::size_t expected = final_phase ? 4 + 2 * position.groups.size() : 2;
  if (replies.size() != expected) {
    throw redis::ReplyError("", "a stream chunk read got " + std::to_string(replies.size()) +
                                    " replies, not " + std::to_string(expected));
  }
  static constexpr std::string_view kKeyReads[] = {"XRANGE", "XINFO STREAM", "XINFO GROUPS"};
  const std::span<redis::Reply> key_reads = replies.first(final_phase ? 3 : 2);
  for (std::size_t i = 0; i < key_reads.size(); ++i) {
    const std::string_view command = i + 1 == key_reads.size() ? kKeyReads[2] : kKeyReads[i];
    const ReadStatus status = read_status(key_reads[i], command);
    if (status != ReadStatus::value) return status;
  }
  redis::Reply& entries = replies[0];
  redis::Reply& groups_reply = key_reads.back();
  const std::size_t count = entries.is_array() ? entries.elements.size() : 0;
  if (count > 0 && entries.elements.back().is_array() &&
      !entries.elements.back().elements.empty()) {
    position.last_id = entries.elements.back().elements[0].str;
  }
  const std::uint64_t step = step_of(cursor);
  const bool entries_done = count < step;
  std::vector<std::string> groups = group_names(groups_reply);
  const std::span<redis::Reply> per_group =
      final_phase ? replies.subspan(3, 2 * position.groups.size()) : std::span<redis::Reply>();
  bool groups_queried = final_phase && groups == position.groups;
  for (std::size_t i = 0; groups_queried && i < per_group.size(); ++i) {
    groups_queried = answered(per_group[i], i % 2 == 0 ? "XINFO CONSUMERS" : "XPENDING");
  }
  const bool last = entries_done && groups_queried;

  record.parts.clear();
  const std::size_t bytes = append_entries(entries, record.parts, "XRANGE");
  if (last) {
    const std::int64_t now_ms = unix_ms_of(replies.back());
    append_queried_metadata(replies[1], groups_reply, per_group, now_ms, record.parts);
  } else if (entries_done) {
    position.groups_known = true;
    position.groups = std::move(groups);
  }
  cursor.position = encode_position(position);
  cursor.read += count;
  cursor.step = next_step(step, count, bytes, chunk_bytes);
  cursor.done = last;
  return ReadStatus::value;
}

}  // namespace riot::stream_plugin
