#include "list_datatype.hpp"

#include <string>

#include "bounded_commands.hpp"
#include "index_ranges.hpp"
#include "reply_shapes.hpp"

namespace riot::struct_plugin {
namespace {

constexpr RangeCommands kRanges{"LRANGE", "LLEN", false, 1};

}  // namespace

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
  return append_range_chunk(kRanges, key, cursor, commands);
}

ReadStatus ListDatatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                           std::size_t chunk_bytes, Record& record) const {
  return decode_range_chunk(kRanges, replies, cursor, chunk_bytes, record);
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
