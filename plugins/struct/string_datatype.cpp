#include "string_datatype.hpp"

#include <algorithm>
#include <string>

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
  if (a.size() != b.size()) {
    return ValueComparison::differs(std::to_string(a.size()) + " bytes vs " +
                                    std::to_string(b.size()));
  }
  const auto differing = std::mismatch(a.begin(), a.end(), b.begin()).first - a.begin();
  return ValueComparison::differs("byte " + std::to_string(differing) + " differs");
}

}  // namespace riot::struct_plugin
