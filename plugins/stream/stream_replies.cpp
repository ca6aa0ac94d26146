#include "stream_replies.hpp"

#include <charconv>

#include "riot/redis/errors.hpp"
#include "stream_parts.hpp"

namespace riot::stream_plugin {
namespace {

[[noreturn]] void unexpected(std::string_view command, std::string_view what) {
  throw redis::ReplyError("",
                          "unexpected " + std::string(command) + " reply: " + std::string(what));
}

redis::Reply& array_of(redis::Reply& reply, std::string_view command, std::string_view what) {
  if (!reply.is_array()) unexpected(command, std::string(what) + " is not an array");
  return reply;
}

// The value of `name` in a RESP2 map reply ([name, value, name, value...]),
// or nullptr; mutable for a mutable map, so that strings can be moved out.
template <typename Map>
Map* find_field(Map& map, std::string_view name) {
  if (!map.is_array()) return nullptr;
  for (std::size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].str == name) return &map.elements[i + 1];
  }
  return nullptr;
}

redis::Reply& field(redis::Reply& map, std::string_view name, std::string_view command) {
  redis::Reply* found = find_field(map, name);
  if (found == nullptr) unexpected(command, "no field '" + std::string(name) + "'");
  return *found;
}

// A bulk string, status or integer as text; nil as "" (entries-read that
// Redis does not know).
std::string take_text(redis::Reply& reply, std::string_view command, std::string_view what) {
  switch (reply.type) {
    case redis::ReplyType::string:
    case redis::ReplyType::status:
      return std::move(reply.str);
    case redis::ReplyType::integer:
      return std::to_string(reply.integer);
    case redis::ReplyType::nil:
      return {};
    default:
      unexpected(command, std::string(what) + " is " + std::string(redis::to_string(reply.type)));
  }
}

// A field Redis 7.0 added (entries-added, max-deleted-entry-id,
// entries-read): "" when an older server does not send it, or sends nil.
std::string optional_text(redis::Reply& map, std::string_view name, std::string_view command) {
  redis::Reply* found = find_field(map, name);
  return found == nullptr ? std::string() : take_text(*found, command, name);
}

std::int64_t number_of(const redis::Reply& reply, std::string_view command, std::string_view what) {
  if (reply.is_integer()) return reply.integer;
  std::int64_t value = 0;
  const std::string& text = reply.str;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!reply.is_string() || error != std::errc() || end != text.data() + text.size()) {
    unexpected(command, std::string(what) + " is not a number");
  }
  return value;
}

void append_stream_fields(redis::Reply& info, std::vector<std::string>& parts,
                          std::string_view command) {
  parts.push_back(
      take_text(field(info, "last-generated-id", command), command, "last-generated-id"));
  parts.push_back(optional_text(info, "entries-added", command));
  parts.push_back(optional_text(info, "max-deleted-entry-id", command));
}

// Group name, last-delivered-id and entries-read, as XINFO GROUPS and XINFO
// STREAM FULL both name them.
void append_group_fields(redis::Reply& group, std::vector<std::string>& parts,
                         std::string_view command) {
  parts.push_back(take_text(field(group, "name", command), command, "group name"));
  parts.push_back(
      take_text(field(group, "last-delivered-id", command), command, "last-delivered-id"));
  parts.push_back(optional_text(group, "entries-read", command));
}

// XINFO STREAM FULL's group: consumers, then its PEL
// ([[id, consumer, delivery-time, delivery-count]...]).
void append_full_group(redis::Reply& group, std::vector<std::string>& parts) {
  constexpr std::string_view command = "XINFO STREAM FULL";
  append_group_fields(group, parts, command);
  std::vector<redis::Reply>& consumers =
      array_of(field(group, "consumers", command), command, "consumers").elements;
  append_count(parts, consumers.size());
  for (redis::Reply& consumer : consumers) {
    parts.push_back(take_text(field(consumer, "name", command), command, "consumer name"));
  }
  std::vector<redis::Reply>& pending =
      array_of(field(group, "pending", command), command, "pending").elements;
  append_count(parts, pending.size());
  for (redis::Reply& entry : pending) {
    std::vector<redis::Reply>& fields = array_of(entry, command, "a pending entry").elements;
    if (fields.size() != 4) unexpected(command, "a pending entry is not 4 fields");
    for (redis::Reply& value : fields) parts.push_back(take_text(value, command, "pending entry"));
  }
}

// XPENDING key group - + n: [[id, consumer, idle ms, delivery count]...].
void append_pending(redis::Reply& pending, std::int64_t now_ms, std::vector<std::string>& parts) {
  constexpr std::string_view command = "XPENDING";
  std::vector<redis::Reply>& entries = array_of(pending, command, "the reply").elements;
  append_count(parts, entries.size());
  for (redis::Reply& entry : entries) {
    std::vector<redis::Reply>& fields = array_of(entry, command, "a pending entry").elements;
    if (fields.size() != 4) unexpected(command, "a pending entry is not 4 fields");
    parts.push_back(take_text(fields[0], command, "id"));
    parts.push_back(take_text(fields[1], command, "consumer"));
    parts.push_back(std::to_string(now_ms - number_of(fields[2], command, "idle time")));
    parts.push_back(std::to_string(number_of(fields[3], command, "delivery count")));
  }
}

}  // namespace

ReadStatus read_status(const redis::Reply& reply, std::string_view command) {
  if (!reply.is_error()) return ReadStatus::value;
  if (reply.str.starts_with("WRONGTYPE")) return ReadStatus::wrong_type;
  if (reply.str == "ERR no such key") return ReadStatus::gone;
  throw redis::ReplyError("", std::string(command) + " failed: " + reply.str);
}

std::size_t append_entries(redis::Reply& entries, std::vector<std::string>& parts,
                           std::string_view command) {
  std::vector<redis::Reply>& list = array_of(entries, command, "the entries").elements;
  append_count(parts, list.size());
  std::size_t bytes = 0;
  for (redis::Reply& entry : list) {
    std::vector<redis::Reply>& id_and_fields = array_of(entry, command, "an entry").elements;
    if (id_and_fields.size() != 2) unexpected(command, "an entry is not [id, fields]");
    std::vector<redis::Reply>& fields =
        array_of(id_and_fields[1], command, "an entry's fields").elements;
    if (fields.size() % 2 != 0) unexpected(command, "an entry has a field without a value");
    parts.push_back(take_text(id_and_fields[0], command, "an entry id"));
    bytes += parts.back().size();
    append_count(parts, fields.size() / 2);
    for (redis::Reply& text : fields) {
      parts.push_back(take_text(text, command, "an entry field"));
      bytes += parts.back().size();
    }
  }
  return bytes;
}

void append_full_stream(redis::Reply& full, std::vector<std::string>& parts) {
  constexpr std::string_view command = "XINFO STREAM FULL";
  append_entries(field(full, "entries", command), parts, command);
  append_stream_fields(full, parts, command);
  std::vector<redis::Reply>& groups =
      array_of(field(full, "groups", command), command, "groups").elements;
  append_count(parts, groups.size());
  for (redis::Reply& group : groups) append_full_group(group, parts);
}

std::int64_t unix_ms_of(const redis::Reply& time) {
  if (!time.is_array() || time.elements.size() != 2) unexpected("TIME", "not 2 numbers");
  return number_of(time.elements[0], "TIME", "seconds") * 1000 +
         number_of(time.elements[1], "TIME", "microseconds") / 1000;
}

std::vector<std::string> group_names(const redis::Reply& groups) {
  std::vector<std::string> names;
  if (!groups.is_array()) unexpected("XINFO GROUPS", "the reply is not an array");
  for (const redis::Reply& group : groups.elements) {
    const redis::Reply* name = find_field(group, "name");
    if (name == nullptr || !name->is_string()) unexpected("XINFO GROUPS", "a group has no name");
    names.push_back(name->str);
  }
  return names;
}

void append_queried_metadata(redis::Reply& stream_info, redis::Reply& groups,
                             std::span<redis::Reply> per_group, std::int64_t now_ms,
                             std::vector<std::string>& parts) {
  append_stream_fields(stream_info, parts, "XINFO STREAM");
  std::vector<redis::Reply>& listed = array_of(groups, "XINFO GROUPS", "the reply").elements;
  if (per_group.size() != listed.size() * 2) {
    unexpected("XINFO GROUPS", "the groups differ from the groups queried");
  }
  append_count(parts, listed.size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    append_group_fields(listed[i], parts, "XINFO GROUPS");
    std::vector<redis::Reply>& consumers =
        array_of(per_group[2 * i], "XINFO CONSUMERS", "the reply").elements;
    append_count(parts, consumers.size());
    for (redis::Reply& consumer : consumers) {
      parts.push_back(take_text(field(consumer, "name", "XINFO CONSUMERS"), "XINFO CONSUMERS",
                                "consumer name"));
    }
    append_pending(per_group[2 * i + 1], now_ms, parts);
  }
}

}  // namespace riot::stream_plugin
