#include "scanned_collection.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "chunk_steps.hpp"
#include "reply_shapes.hpp"
#include "riot/record.hpp"
#include "riot/values/decimal_text.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot::struct_plugin {
namespace {

std::string quoted(std::string_view name) {
  return "\"" + printable_key(name, 64) + "\"";
}

}  // namespace

ReadStatus ScannedCollection::decode_read(std::span<redis::Reply> replies, Record& record) const {
  redis::Reply& reply = replies[0];
  if (is_wrong_type(reply)) return ReadStatus::wrong_type;
  record.parts.clear();
  move_strings(read_command(), reply, record.parts);
  // Redis holds no empty collection: an empty reply is a key gone.
  if (record.parts.empty()) return ReadStatus::gone;
  if (record.parts.size() % commands_.stride != 0) throw_unexpected(read_command(), reply);
  return ReadStatus::value;
}

std::size_t ScannedCollection::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                                 std::size_t chunk_bytes,
                                                 redis::KeyedCommands& commands) const {
  (void)chunk_bytes;
  const values::DecimalText count(cursor.step == 0 ? kFirstStep : cursor.step);
  const std::string_view position =
      cursor.position.empty() ? std::string_view("0") : std::string_view(cursor.position);
  commands.append(key, {commands_.scan, key, position, "COUNT", count.view()});
  // A SCAN of a key gone answers an empty last page: EXISTS tells it from the
  // end of a key still there.
  commands.append(key, {"EXISTS", key});
  return 2;
}

ReadStatus ScannedCollection::decode_chunk_read(std::span<redis::Reply> replies,
                                                ChunkCursor& cursor, std::size_t chunk_bytes,
                                                Record& record) const {
  if (wrong_type_among(replies) == ReadStatus::wrong_type) return ReadStatus::wrong_type;
  if (integer_of("EXISTS", replies[1]) == 0) return ReadStatus::gone;
  redis::Reply& page = replies[0];
  if (!page.is_array() || page.elements.size() != 2 || !page.elements[0].is_string())
    throw_unexpected(commands_.scan, page);
  record.parts.clear();
  move_strings(commands_.scan, page.elements[1], record.parts);
  if (record.parts.size() % commands_.stride != 0) throw_unexpected(commands_.scan, page);

  const std::size_t elements = record.parts.size() / commands_.stride;
  const std::uint64_t step = cursor.step == 0 ? kFirstStep : cursor.step;
  cursor.step = next_step(
      step, elements, held_bytes(record.parts.size(), values::value_bytes(record)), chunk_bytes);
  cursor.read += elements;
  cursor.position = std::move(page.elements[0].str);
  cursor.done = cursor.position == "0";
  return ReadStatus::value;
}

std::size_t ScannedCollection::append_write(const Record& record, std::string_view key,
                                            const WriteOptions& options,
                                            redis::KeyedCommands& commands) const {
  (void)options;  // adding is what both policies do; the caller deletes first to overwrite
  return append_bounded(commands, commands_.add, key, record.parts, commands_.stride,
                        commands_.add_order);
}

ValueComparison ScannedCollection::compare(const Record& source, const Record& target) const {
  const std::size_t stride = commands_.stride;
  const std::size_t source_count = source.parts.size() / stride;
  const std::size_t target_count = target.parts.size() / stride;
  const std::string plural = std::string(commands_.element) + "s";
  if (source_count != target_count) {
    return ValueComparison::differs(std::to_string(source_count) + " " + plural + " vs " +
                                    std::to_string(target_count));
  }
  if (stride == 1) {
    const std::unordered_set<std::string_view> members(target.parts.begin(), target.parts.end());
    for (const std::string& member : source.parts) {
      if (!members.contains(member)) {
        return ValueComparison::differs(std::string(commands_.element) + " " + quoted(member) +
                                        " missing on the target");
      }
    }
    return ValueComparison::same();
  }
  std::unordered_map<std::string_view, std::string_view> values;
  values.reserve(target_count);
  for (std::size_t i = 0; i + 1 < target.parts.size(); i += 2)
    values.emplace(target.parts[i], target.parts[i + 1]);
  for (std::size_t i = 0; i + 1 < source.parts.size(); i += 2) {
    const std::string_view name = source.parts[i];
    const auto found = values.find(name);
    const std::string element = std::string(commands_.element) + " " + quoted(name);
    if (found == values.end()) return ValueComparison::differs(element + " missing on the target");
    const std::string_view value = source.parts[i + 1];
    if (same_value(value, found->second)) continue;
    if (value.size() != found->second.size()) {
      return ValueComparison::differs(element + ": " + std::to_string(value.size()) + " bytes vs " +
                                      std::to_string(found->second.size()));
    }
    return ValueComparison::differs(element + " differs");
  }
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
