#include "list_datatype.hpp"

#include <algorithm>
#include <string>

#include "bounded_commands.hpp"
#include "difference_details.hpp"
#include "index_ranges.hpp"
#include "reply_shapes.hpp"
#include "riot/values/decimal_text.hpp"

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
  const std::size_t common = std::min(source.parts.size(), target.parts.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (source.parts[i] != target.parts[i])
      return ValueComparison::differs("index " + std::to_string(i) + " differs");
  }
  if (source.parts.size() == target.parts.size()) return ValueComparison::same();
  return ValueComparison::differs(
      length_difference(source.parts.size(), true, static_cast<std::int64_t>(target.parts.size())));
}

std::size_t ListDatatype::append_size(std::string_view key, redis::KeyedCommands& commands) const {
  commands.append(key, {"LLEN", key});
  return 1;
}

std::size_t ListDatatype::append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                             std::string_view key,
                                             redis::KeyedCommands& commands) const {
  std::size_t appended = 0;
  // LRANGE i i-1 would be no range: 0 -1 is the whole list.
  if (!chunk.parts.empty()) {
    const values::DecimalText first(probe.elements);
    const values::DecimalText last(probe.elements + chunk.parts.size() - 1);
    commands.append(key, {"LRANGE", key, first.view(), last.view()});
    ++appended;
  }
  commands.append(key, {"LLEN", key});
  return appended + 1;
}

ValueComparison ListDatatype::decode_chunk_probe(std::span<redis::Reply> replies,
                                                 const Record& chunk, ChunkProbe& probe) const {
  const redis::Reply& length = replies.back();
  if (wrong_type_among(replies) == ReadStatus::wrong_type ||
      (length.is_integer() && length.integer == 0))
    return ValueComparison::differs(no_value_on_target("list"));
  const std::int64_t target_length = integer_of("LLEN", length);
  const std::uint64_t source_length = probe.elements + chunk.parts.size();
  if (!chunk.parts.empty()) {
    const redis::Reply& range = replies.front();
    if (!range.is_array()) throw_unexpected("LRANGE", range);
    const std::size_t common = std::min(chunk.parts.size(), range.elements.size());
    for (std::size_t i = 0; i < common; ++i) {
      const redis::Reply& element = range.elements[i];
      if (!element.is_string()) throw_unexpected("LRANGE", element);
      if (element.str != chunk.parts[i]) {
        return ValueComparison::differs("index " + std::to_string(probe.elements + i) + " differs");
      }
    }
    if (range.elements.size() < chunk.parts.size()) {
      return ValueComparison::differs(
          length_difference(source_length, chunk.chunk.last, target_length));
    }
  }
  probe.elements = source_length;
  if (chunk.chunk.last && static_cast<std::uint64_t>(target_length) != source_length)
    return ValueComparison::differs(length_difference(source_length, true, target_length));
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
