#include "scanned_collection.hpp"

#include <string>
#include <unordered_map>

#include "chunk_steps.hpp"
#include "difference_details.hpp"
#include "reply_shapes.hpp"
#include "riot/record.hpp"
#include "riot/values/decimal_text.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot::struct_plugin {

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

std::size_t ScannedCollection::append_size(std::string_view key,
                                           redis::KeyedCommands& commands) const {
  commands.append(key, {commands_.size, key});
  return 1;
}

std::string ScannedCollection::value_difference(std::string_view source,
                                                std::string_view target) const {
  return bytes_difference(source, target);
}

std::string ScannedCollection::element_named(std::string_view name) const {
  return std::string(commands_.element) + " " + quoted_name(name);
}

ValueComparison ScannedCollection::compare(const Record& source, const Record& target) const {
  const std::size_t stride = commands_.stride;
  // The target's elements by name, each marked once a source element matched
  // it: what is left unmarked is only on the target.
  struct TargetElement {
    std::string_view value;
    bool matched = false;
  };
  std::unordered_map<std::string_view, TargetElement> elements;
  elements.reserve(target.parts.size() / stride);
  for (std::size_t i = 0; i + stride <= target.parts.size(); i += stride) {
    elements.emplace(
        target.parts[i],
        TargetElement{stride == 2 ? std::string_view(target.parts[i + 1]) : std::string_view()});
  }
  std::size_t matched = 0;
  for (std::size_t i = 0; i + stride <= source.parts.size(); i += stride) {
    const std::string_view name = source.parts[i];
    const auto found = elements.find(name);
    if (found == elements.end()) {
      return ValueComparison::differs(element_named(name) + " missing on the target");
    }
    if (stride == 2) {
      const std::string difference = value_difference(source.parts[i + 1], found->second.value);
      if (!difference.empty())
        return ValueComparison::differs(element_named(name) + ": " + difference);
    }
    if (!found->second.matched) ++matched;
    found->second.matched = true;
  }
  if (matched == elements.size()) return ValueComparison::same();
  // In the target's own order, so that the detail is the same on every run.
  for (std::size_t i = 0; i + stride <= target.parts.size(); i += stride) {
    if (!elements.at(target.parts[i]).matched) {
      return ValueComparison::differs(element_named(target.parts[i]) + " only on the target");
    }
  }
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
