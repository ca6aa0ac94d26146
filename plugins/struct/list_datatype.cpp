#include "list_datatype.hpp"

#include <string>

#include "bounded_commands.hpp"
#include "chunk_steps.hpp"
#include "reply_shapes.hpp"
#include "riot/values/decimal_text.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot::struct_plugin {

std::size_t ListDatatype::append_read(std::string_view key, redis::KeyedCommands& commands) const {
  commands.append(key, {"LRANGE", key, "0", "-1"});
  return 1;
}

ReadStatus ListDatatype::decode_read(std::span<redis::Reply> replies, Record& record) const {
  redis::Reply& reply = replies[0];
  if (is_wrong_type(reply)) return ReadStatus::wrong_type;
  record.parts.clear();
  move_strings("LRANGE", reply, record.parts);
  // Redis holds no empty list: an empty reply is a key gone.
  return record.parts.empty() ? ReadStatus::gone : ReadStatus::value;
}

std::size_t ListDatatype::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                            std::size_t chunk_bytes,
                                            redis::KeyedCommands& commands) const {
  (void)chunk_bytes;
  const std::uint64_t step = cursor.step == 0 ? kFirstStep : cursor.step;
  const values::DecimalText first(cursor.read);
  const values::DecimalText last(cursor.read + step - 1);
  commands.append(key, {"LRANGE", key, first.view(), last.view()});
  // LLEN tells a key gone (0: LRANGE answers [] for it too) and whether this
  // chunk is the last.
  commands.append(key, {"LLEN", key});
  return 2;
}

ReadStatus ListDatatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                           std::size_t chunk_bytes, Record& record) const {
  if (wrong_type_among(replies) == ReadStatus::wrong_type) return ReadStatus::wrong_type;
  const std::int64_t length = integer_of("LLEN", replies[1]);
  if (length == 0) return ReadStatus::gone;
  record.parts.clear();
  move_strings("LRANGE", replies[0], record.parts);

  const std::uint64_t step = cursor.step == 0 ? kFirstStep : cursor.step;
  cursor.step =
      next_step(step, record.parts.size(),
                held_bytes(record.parts.size(), values::value_bytes(record)), chunk_bytes);
  cursor.read += record.parts.size();
  // A list that shrank below the index answers []: it ends here.
  cursor.done = record.parts.empty() || cursor.read >= static_cast<std::uint64_t>(length);
  return ReadStatus::value;
}

std::size_t ListDatatype::append_write(const Record& record, std::string_view key,
                                       const WriteOptions& options,
                                       redis::KeyedCommands& commands) const {
  (void)options;  // a merge appends the source's elements to the target's list
  return append_bounded(commands, "RPUSH", key, record.parts, 1);
}

ValueComparison ListDatatype::compare(const Record& source, const Record& target) const {
  if (source.parts.size() != target.parts.size()) {
    return ValueComparison::differs("length " + std::to_string(source.parts.size()) + " vs " +
                                    std::to_string(target.parts.size()));
  }
  for (std::size_t i = 0; i < source.parts.size(); ++i) {
    if (source.parts[i] != target.parts[i])
      return ValueComparison::differs("index " + std::to_string(i) + " differs");
  }
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
