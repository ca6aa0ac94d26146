#include "stream_writes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "stream_id.hpp"
#include "stream_parts.hpp"

namespace riot::stream_plugin {
namespace {

// Appends stream commands on one key, counting them.
class StreamCommands {
 public:
  StreamCommands(std::string_view key, redis::KeyedCommands& commands)
      : key_(key), commands_(commands) {}

  void add_entry(const StreamEntryView& entry, std::string_view id) {
    args_.assign({"XADD", key_, id});
    args_.insert(args_.end(), entry.fields.begin(), entry.fields.end());
    send();
  }

  // Makes an empty stream where the key is missing, and nothing else: the
  // entry 0-1 is trimmed away at once (MINID 0-2), and refused by a stream
  // that has entries. The metadata written next sets the ids.
  void create_empty_stream() {
    args_.assign({"XADD", key_, "MINID", "0-2", "0-1", "riot", ""});
    send();
  }

  // Entries added and the max deleted id are unknown ("") when the source
  // is older than Redis 7.0: the target then keeps its own.
  void set_metadata(const StreamMetadataView& metadata) {
    args_.assign({"XSETID", key_, metadata.last_id});
    if (!metadata.entries_added.empty()) {
      args_.insert(args_.end(), {"ENTRIESADDED", metadata.entries_added});
    }
    if (!metadata.max_deleted_id.empty()) {
      args_.insert(args_.end(), {"MAXDELETEDID", metadata.max_deleted_id});
    }
    send();
  }

  // `entries_read` "" when unknown: Redis then estimates it.
  void create_group(std::string_view name, std::string_view id, std::string_view entries_read) {
    args_.assign({"XGROUP", "CREATE", key_, name, id, "MKSTREAM"});
    if (!entries_read.empty()) args_.insert(args_.end(), {"ENTRIESREAD", entries_read});
    send();
  }

  void create_consumers(const GroupView& group) {
    for (std::string_view consumer : group.consumers) {
      args_.assign({"XGROUP", "CREATECONSUMER", key_, group.name, consumer});
      send();
    }
  }

  // Rebuilds a pending entry: claimed by its consumer with its delivery
  // count (RETRYCOUNT; JUSTID leaves it as given) and delivery time (TIME).
  void claim(std::string_view group, const PendingEntryView& entry) {
    const std::string time = std::to_string(entry.delivery_time_ms);
    const std::string count = std::to_string(entry.delivery_count);
    args_.assign({"XCLAIM", key_, group, entry.consumer, "0", entry.id, "TIME", time, "RETRYCOUNT",
                  count, "FORCE", "JUSTID"});
    send();
  }

  std::size_t count() const noexcept { return count_; }

 private:
  void send() {
    commands_.append(key_, std::span<const std::string_view>(args_));
    ++count_;
  }

  std::string_view key_;
  redis::KeyedCommands& commands_;
  std::vector<std::string_view> args_;
  std::size_t count_ = 0;
};

StreamId id_of(std::string_view text) {
  const std::optional<StreamId> id = parse_stream_id(text);
  if (!id)
    throw std::invalid_argument("stream value parts: \"" + std::string(text) + "\" is not an id");
  return *id;
}

void write_with_ids(const StreamView& view, StreamCommands& out) {
  for (const StreamEntryView& entry : view.entries) out.add_entry(entry, entry.id);
  if (!view.metadata) return;
  if (view.entries.empty()) out.create_empty_stream();
  out.set_metadata(*view.metadata);
  for (const GroupView& group : view.metadata->groups) {
    out.create_group(group.name, group.last_delivered_id, group.entries_read);
    out.create_consumers(group);
    for (const PendingEntryView& entry : group.pending) out.claim(group.name, entry);
  }
}

// How many of `entries` a group has read: those up to its last delivered id.
std::size_t entries_read_by(const GroupView& group, const std::vector<StreamEntryView>& entries) {
  const StreamId last_delivered = id_of(group.last_delivered_id);
  const auto unread = std::partition_point(
      entries.begin(), entries.end(),
      [&](const StreamEntryView& entry) { return id_of(entry.id) <= last_delivered; });
  return static_cast<std::size_t>(unread - entries.begin());
}

// New ids: each group is created ($) right after the XADD of the last entry
// it had read, so that it resumes where it stood on the source; a group that
// had read everything, after the last entry. In the last chunk of a big
// stream, a group whose entry lies in an earlier chunk starts at the
// stream's start instead (its consumers read again rather than miss
// entries), which is counted.
void write_with_new_ids(const Record& record, const StreamView& view, StreamCommands& out,
                        StreamLosses& losses) {
  std::vector<std::vector<const GroupView*>> created_after(view.entries.size() + 1);
  if (view.metadata) {
    if (view.entries.empty()) out.create_empty_stream();
    const StreamId last_id = id_of(view.metadata->last_id);
    std::uint64_t pending = 0;
    for (const GroupView& group : view.metadata->groups) {
      pending += group.pending.size();
      const StreamId last_delivered = id_of(group.last_delivered_id);
      if (last_delivered >= last_id) {
        created_after.back().push_back(&group);
        continue;
      }
      const std::size_t read = entries_read_by(group, view.entries);
      if (read > 0 || record.chunk.index == 0) {
        created_after[read].push_back(&group);
        continue;
      }
      out.create_group(group.name, "0", "");
      if (last_delivered != StreamId{})
        losses.add(StreamLoss::group_placed_at_start, 1, record.key);
    }
    losses.add(StreamLoss::pending_under_dropped_ids, pending, record.key);
  }
  for (std::size_t i = 0; i <= view.entries.size(); ++i) {
    if (i > 0) out.add_entry(view.entries[i - 1], "*");
    for (const GroupView* group : created_after[i]) out.create_group(group->name, "$", "");
  }
  if (!view.metadata) return;
  for (const GroupView& group : view.metadata->groups) out.create_consumers(group);
}

}  // namespace

std::size_t append_stream_writes(const Record& record, std::string_view key,
                                 const WriteOptions& options, redis::KeyedCommands& commands,
                                 StreamLosses& losses) {
  const StreamView view = parse_stream_parts(record.parts, record.chunk.last);
  StreamCommands out(key, commands);
  if (options.stream_ids == StreamIdPolicy::propagate) {
    write_with_ids(view, out);
  } else {
    write_with_new_ids(record, view, out, losses);
  }
  return out.count();
}

bool is_already_applied(std::string_view error) {
  return error.starts_with("BUSYGROUP") ||
         error.find("is equal or smaller than the target stream top item") !=
             std::string_view::npos ||
         error.find("XSETID is smaller than the target stream top item") !=
             std::string_view::npos ||
         error.find("XSETID is smaller than the target stream length") != std::string_view::npos;
}

}  // namespace riot::stream_plugin
