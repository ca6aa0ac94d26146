#pragma once
// The Record::parts layout of a stream value, documented in
// docs/datatypes.md ("stream"). Every part is a string; counts and numbers
// are decimal:
//
//   E, then E entries:        id, F, field, value, ... (F pairs)
//   then, in a whole value or the last chunk only (the stream's metadata):
//   last-generated-id, entries-added, max-deleted-entry-id (both "" when the
//   source is older than Redis 7.0),
//   G, then G groups:         name, last-delivered-id, entries-read ("" when
//                             Redis does not know it),
//                             C, consumer names (C of them),
//                             P, then P pending entries: id, consumer,
//                             delivery time (unix ms, source's clock),
//                             delivery count
//
// The readers append in this order (append_count before each list); the
// writer and the comparison read it back as views into the parts.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riot::stream_plugin {

struct StreamEntryView {
  std::string_view id;
  std::span<const std::string> fields;  // field, value, field, value...
};

struct PendingEntryView {
  std::string_view id;
  std::string_view consumer;
  std::int64_t delivery_time_ms = 0;  // unix ms, on the source's clock
  std::int64_t delivery_count = 0;
};

struct GroupView {
  std::string_view name;
  std::string_view last_delivered_id;
  std::string_view entries_read;  // "" when Redis does not know it
  std::vector<std::string_view> consumers;
  std::vector<PendingEntryView> pending;
};

struct StreamMetadataView {
  std::string_view last_id;
  std::string_view entries_added;   // "" when unknown (a source older than Redis 7.0)
  std::string_view max_deleted_id;  // "" when unknown
  std::vector<GroupView> groups;
};

struct StreamView {
  std::vector<StreamEntryView> entries;
  std::optional<StreamMetadataView> metadata;  // whole values and last chunks
};

// Appends the count that starts a list of the layout.
void append_count(std::vector<std::string>& parts, std::size_t count);

// Reads `parts` back; `with_metadata` for a whole value or a last chunk.
// Throws std::invalid_argument naming the part at fault when they do not
// follow the layout.
StreamView parse_stream_parts(std::span<const std::string> parts, bool with_metadata);

}  // namespace riot::stream_plugin
