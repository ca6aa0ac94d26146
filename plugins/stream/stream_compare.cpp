#include "stream_compare.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "stream_id.hpp"
#include "stream_parts.hpp"

namespace riot::stream_plugin {
namespace {

std::string quoted(std::string_view text) {
  return "\"" + printable_key(text, 64) + "\"";
}

std::string shown(std::string_view value) {
  return value.empty() ? "(unknown)" : std::string(value);
}

std::string compare_entries(const std::vector<StreamEntryView>& source,
                            const std::vector<StreamEntryView>& target) {
  const std::size_t common = std::min(source.size(), target.size());
  for (std::size_t i = 0; i < common; ++i) {
    const StreamEntryView& a = source[i];
    const StreamEntryView& b = target[i];
    if (a.id != b.id) {
      return "entry " + std::to_string(i) + ": id " + std::string(a.id) + " vs " +
             std::string(b.id);
    }
    if (a.fields.size() != b.fields.size()) {
      return "entry " + std::string(a.id) + ": " + std::to_string(a.fields.size() / 2) +
             " fields vs " + std::to_string(b.fields.size() / 2);
    }
    for (std::size_t f = 0; f < a.fields.size(); f += 2) {
      if (a.fields[f] != b.fields[f]) {
        return "entry " + std::string(a.id) + ": field " + std::to_string(f / 2) + " is " +
               quoted(a.fields[f]) + " vs " + quoted(b.fields[f]);
      }
      if (a.fields[f + 1] != b.fields[f + 1]) {
        return "entry " + std::string(a.id) + ": field " + quoted(a.fields[f]) + ": " +
               std::to_string(a.fields[f + 1].size()) + " bytes vs " +
               std::to_string(b.fields[f + 1].size()) + " bytes, differ";
      }
    }
  }
  if (source.size() != target.size()) {
    return "length " + std::to_string(source.size()) + " vs " + std::to_string(target.size());
  }
  return {};
}

// Whether `entries` (in id order) hold the entry `id`.
bool holds_entry(const std::vector<StreamEntryView>& entries, std::string_view id) {
  const std::optional<StreamId> wanted = parse_stream_id(id);
  if (!wanted) return false;
  const auto found =
      std::partition_point(entries.begin(), entries.end(), [&](const StreamEntryView& entry) {
        const std::optional<StreamId> entry_id = parse_stream_id(entry.id);
        return entry_id && *entry_id < *wanted;
      });
  return found != entries.end() && parse_stream_id(found->id) == wanted;
}

// The pending entries whose message the stream still holds: the others no
// client can rebuild (XCLAIM needs the message).
std::vector<PendingEntryView> live_pending(const GroupView& group,
                                           const std::vector<StreamEntryView>& entries) {
  std::vector<PendingEntryView> live;
  for (const PendingEntryView& pending : group.pending) {
    if (holds_entry(entries, pending.id)) live.push_back(pending);
  }
  return live;
}

std::string compare_group(const GroupView& a, const GroupView& b,
                          const std::vector<StreamEntryView>& source_entries,
                          const std::vector<StreamEntryView>& target_entries) {
  const std::string group = "group " + quoted(a.name) + ": ";
  if (a.last_delivered_id != b.last_delivered_id) {
    return group + "last delivered id " + std::string(a.last_delivered_id) + " vs " +
           std::string(b.last_delivered_id);
  }
  if (a.entries_read != b.entries_read) {
    return group + "entries read " + shown(a.entries_read) + " vs " + shown(b.entries_read);
  }
  if (a.consumers != b.consumers) {
    return group + std::to_string(a.consumers.size()) + " consumers vs " +
           std::to_string(b.consumers.size()) + ", names differ";
  }
  const std::vector<PendingEntryView> pa = live_pending(a, source_entries);
  const std::vector<PendingEntryView> pb = live_pending(b, target_entries);
  for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
    if (pa[i].id != pb[i].id) {
      return group + "pending entry " + std::to_string(i) + ": id " + std::string(pa[i].id) +
             " vs " + std::string(pb[i].id);
    }
    if (pa[i].consumer != pb[i].consumer) {
      return group + "pending entry " + std::string(pa[i].id) + ": consumer " +
             quoted(pa[i].consumer) + " vs " + quoted(pb[i].consumer);
    }
    if (pa[i].delivery_count != pb[i].delivery_count) {
      return group + "pending entry " + std::string(pa[i].id) + ": delivery count " +
             std::to_string(pa[i].delivery_count) + " vs " + std::to_string(pb[i].delivery_count);
    }
  }
  if (pa.size() != pb.size()) {
    return group + std::to_string(pa.size()) + " pending entries vs " + std::to_string(pb.size());
  }
  return {};
}

std::string compare_metadata(const StreamView& source, const StreamView& target) {
  const StreamMetadataView& a = *source.metadata;
  const StreamMetadataView& b = *target.metadata;
  if (a.last_id != b.last_id) {
    return "last id " + std::string(a.last_id) + " vs " + std::string(b.last_id);
  }
  if (a.entries_added != b.entries_added) {
    return "entries added " + std::string(a.entries_added) + " vs " + std::string(b.entries_added);
  }
  if (a.max_deleted_id != b.max_deleted_id) {
    return "max deleted id " + std::string(a.max_deleted_id) + " vs " +
           std::string(b.max_deleted_id);
  }
  // Redis lists groups by name on both sides.
  for (std::size_t i = 0; i < std::min(a.groups.size(), b.groups.size()); ++i) {
    if (a.groups[i].name != b.groups[i].name) {
      return "group " + std::to_string(i) + ": " + quoted(a.groups[i].name) + " vs " +
             quoted(b.groups[i].name);
    }
    std::string difference =
        compare_group(a.groups[i], b.groups[i], source.entries, target.entries);
    if (!difference.empty()) return difference;
  }
  if (a.groups.size() != b.groups.size()) {
    return std::to_string(a.groups.size()) + " groups vs " + std::to_string(b.groups.size());
  }
  return {};
}

}  // namespace

ValueComparison compare_streams(const Record& source, const Record& target) {
  const StreamView a = parse_stream_parts(source.parts, true);
  const StreamView b = parse_stream_parts(target.parts, true);
  std::string difference = compare_entries(a.entries, b.entries);
  if (difference.empty()) difference = compare_metadata(a, b);
  return difference.empty() ? ValueComparison::same() : ValueComparison::differs(difference);
}

}  // namespace riot::stream_plugin
