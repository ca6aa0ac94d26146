#include "string_datatype.hpp"

#include <algorithm>
#include <string>

#include "difference_details.hpp"
#include "reply_shapes.hpp"
#include "riot/values/decimal_text.hpp"

namespace riot::struct_plugin {
namespace {

// The one part of a string record (a value or a chunk); "" for a record
// without parts.
std::string_view bytes_of(const Record& record) {
  return record.parts.empty() ? std::string_view() : std::string_view(record.parts.front());
}

}  // namespace

std::size_t StringDatatype::append_read(std::string_view key,
                                        redis::KeyedCommands& commands) const {
  commands.append(key, {"GET", key});
  return 1;
}

ReadStatus StringDatatype::decode_read(std::span<redis::Reply> replies, Record& record) const {
  redis::Reply& reply = replies[0];
  if (reply.is_nil()) return ReadStatus::gone;
  if (is_wrong_type(reply)) return ReadStatus::wrong_type;
  if (!reply.is_string()) throw_unexpected("GET", reply);
  record.parts.clear();
  record.parts.push_back(std::move(reply.str));
  return ReadStatus::value;
}

std::size_t StringDatatype::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                              std::size_t chunk_bytes,
                                              redis::KeyedCommands& commands) const {
  const values::DecimalText first(cursor.read);
  const values::DecimalText last(cursor.read + std::max<std::size_t>(chunk_bytes, 1) - 1);
  commands.append(key, {"GETRANGE", key, first.view(), last.view()});
  // STRLEN tells whether this chunk is the last, EXISTS a key gone from an
  // empty string (GETRANGE answers "" for both).
  commands.append(key, {"STRLEN", key});
  commands.append(key, {"EXISTS", key});
  return 3;
}

ReadStatus StringDatatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                             std::size_t chunk_bytes, Record& record) const {
  (void)chunk_bytes;
  if (wrong_type_among(replies) == ReadStatus::wrong_type) return ReadStatus::wrong_type;
  redis::Reply& range = replies[0];
  if (!range.is_string()) throw_unexpected("GETRANGE", range);
  const std::int64_t length = integer_of("STRLEN", replies[1]);
  if (integer_of("EXISTS", replies[2]) == 0) return ReadStatus::gone;
  cursor.read += range.str.size();
  // A string that shrank below the offset answers "": it ends here.
  cursor.done = range.str.empty() || cursor.read >= static_cast<std::uint64_t>(length);
  record.parts.clear();
  record.parts.push_back(std::move(range.str));
  return ReadStatus::value;
}

std::size_t StringDatatype::append_write(const Record& record, std::string_view key,
                                         const WriteOptions& options,
                                         redis::KeyedCommands& commands) const {
  (void)options;
  // The value is referenced, not copied: the record outlives the send.
  if (record.chunk.index == 0) {
    // KEEPTTL: a merge into a key with a TTL keeps it unless the source's
    // replaces it (the caller's PEXPIRE); an overwrite deleted the key first.
    commands.append_referencing(key, {"SET", key, bytes_of(record), "KEEPTTL"});
  } else {
    commands.append_referencing(key, {"APPEND", key, bytes_of(record)});
  }
  return 1;
}

std::size_t StringDatatype::append_replace(const Record& record, std::string_view key,
                                           std::int64_t ttl_ms,
                                           redis::KeyedCommands& commands) const {
  if (ttl_ms <= 0) {
    commands.append_referencing(key, {"SET", key, bytes_of(record)});
    return 1;
  }
  const values::DecimalText ttl(ttl_ms);
  commands.append_referencing(key, {"SET", key, bytes_of(record), "PX", ttl.view()});
  return 1;
}

ValueComparison StringDatatype::compare(const Record& source, const Record& target) const {
  const std::string_view a = bytes_of(source);
  const std::string_view b = bytes_of(target);
  if (a == b) return ValueComparison::same();
  return ValueComparison::differs(string_difference(first_differing_byte(a, b), a.size(), true,
                                                    static_cast<std::int64_t>(b.size())));
}

std::size_t StringDatatype::append_size(std::string_view key,
                                        redis::KeyedCommands& commands) const {
  commands.append(key, {"STRLEN", key});
  return 1;
}

std::size_t StringDatatype::append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                               std::string_view key,
                                               redis::KeyedCommands& commands) const {
  const std::string_view bytes = bytes_of(chunk);
  std::size_t appended = 0;
  // GETRANGE i i-1 would be no range: 0 -1 is the whole string.
  if (!bytes.empty()) {
    const values::DecimalText first(probe.elements);
    const values::DecimalText last(probe.elements + bytes.size() - 1);
    commands.append(key, {"GETRANGE", key, first.view(), last.view()});
    ++appended;
  }
  // STRLEN answers 0 for a missing key and an empty string alike: EXISTS
  // tells them apart.
  commands.append(key, {"STRLEN", key});
  commands.append(key, {"EXISTS", key});
  return appended + 2;
}

ValueComparison StringDatatype::decode_chunk_probe(std::span<redis::Reply> replies,
                                                   const Record& chunk, ChunkProbe& probe) const {
  if (wrong_type_among(replies) == ReadStatus::wrong_type ||
      integer_of("EXISTS", replies.back()) == 0)
    return ValueComparison::differs(no_value_on_target("string"));
  const std::int64_t target_length = integer_of("STRLEN", replies[replies.size() - 2]);
  const std::string_view bytes = bytes_of(chunk);
  const std::uint64_t source_length = probe.elements + bytes.size();
  if (!bytes.empty()) {
    const redis::Reply& range = replies.front();
    if (!range.is_string()) throw_unexpected("GETRANGE", range);
    const std::size_t differing = first_differing_byte(bytes, range.str);
    if (differing < bytes.size()) {
      return ValueComparison::differs(string_difference(probe.elements + differing, source_length,
                                                        chunk.chunk.last, target_length));
    }
  }
  probe.elements = source_length;
  if (chunk.chunk.last && static_cast<std::uint64_t>(target_length) != source_length) {
    return ValueComparison::differs(
        string_difference(source_length, source_length, true, target_length));
  }
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
