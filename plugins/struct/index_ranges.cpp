#include "index_ranges.hpp"

#include "chunk_steps.hpp"
#include "reply_shapes.hpp"
#include "riot/values/decimal_text.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot::struct_plugin {

std::size_t append_range_chunk(const RangeCommands& commands, std::string_view key,
                               const ChunkCursor& cursor, redis::KeyedCommands& out) {
  const std::uint64_t step = cursor.step == 0 ? kFirstStep : cursor.step;
  const values::DecimalText first(cursor.read);
  const values::DecimalText last(cursor.read + step - 1);
  if (commands.with_scores) {
    out.append(key, {commands.range, key, first.view(), last.view(), "WITHSCORES"});
  } else {
    out.append(key, {commands.range, key, first.view(), last.view()});
  }
  out.append(key, {commands.length, key});
  return 2;
}

ReadStatus decode_range_chunk(const RangeCommands& commands, std::span<redis::Reply> replies,
                              ChunkCursor& cursor, std::size_t chunk_bytes, Record& record) {
  if (wrong_type_among(replies) == ReadStatus::wrong_type) return ReadStatus::wrong_type;
  const std::int64_t length = integer_of(commands.length, replies[1]);
  if (length == 0) return ReadStatus::gone;
  record.parts.clear();
  move_strings(commands.range, replies[0], record.parts);
  if (record.parts.size() % commands.stride != 0) throw_unexpected(commands.range, replies[0]);

  const std::size_t elements = record.parts.size() / commands.stride;
  const std::uint64_t step = cursor.step == 0 ? kFirstStep : cursor.step;
  cursor.step = next_step(
      step, elements, held_bytes(record.parts.size(), values::value_bytes(record)), chunk_bytes);
  cursor.read += elements;
  // A key that shrank below the index answers []: it ends here.
  cursor.done = elements == 0 || cursor.read >= static_cast<std::uint64_t>(length);
  return ReadStatus::value;
}

}  // namespace riot::struct_plugin
