#include "stream_compare.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "stream_id.hpp"
#include "struct/difference_details.hpp"

namespace riot::stream_plugin {
namespace {

using struct_plugin::bytes_difference;
using struct_plugin::quoted_name;

// A counter both sides know and that differs: "entries added 5 vs 6"; "" when
// they agree or one side does not know it.
std::string known_difference(std::string_view what, std::string_view source,
                             std::string_view target) {
  if (source.empty() || target.empty() || source == target) return {};
  return std::string(what) + " " + std::string(source) + " vs " + std::string(target);
}

std::string compare_entry(const StreamEntryView& a, const StreamEntryView& b) {
  const std::string entry = "entry " + std::string(a.id) + ": ";
  if (a.fields.size() != b.fields.size()) {
    return entry + std::to_string(a.fields.size() / 2) + " fields vs " +
           std::to_string(b.fields.size() / 2);
  }
  for (std::size_t f = 0; f < a.fields.size(); f += 2) {
    if (a.fields[f] != b.fields[f]) {
      return entry + "field " + std::to_string(f / 2) + " is " + quoted_name(a.fields[f]) + " vs " +
             quoted_name(b.fields[f]);
    }
    const std::string difference = bytes_difference(a.fields[f + 1], b.fields[f + 1]);
    if (!difference.empty()) return entry + "field " + quoted_name(a.fields[f]) + ": " + difference;
  }
  return {};
}

// Whether `entries` (in id order) hold the entry `id`.
bool holds_entry(std::span<const StreamEntryView> entries, std::string_view id) {
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
std::vector<PendingEntryView> live_pending(const GroupView& group, const HoldsEntry& holds) {
  std::vector<PendingEntryView> live;
  for (const PendingEntryView& pending : group.pending) {
    if (holds(pending.id)) live.push_back(pending);
  }
  return live;
}

// Consumers come sorted by name on both sides (Redis keeps them in a radix
// tree): the first name only one side has.
std::string compare_consumers(const GroupView& a, const GroupView& b) {
  const auto [in_a, in_b] =
      std::mismatch(a.consumers.begin(), a.consumers.end(), b.consumers.begin(), b.consumers.end());
  if (in_a == a.consumers.end() && in_b == b.consumers.end()) return {};
  if (in_b == b.consumers.end() || (in_a != a.consumers.end() && *in_a < *in_b))
    return "consumer " + quoted_name(*in_a) + " missing on the target";
  return "consumer " + quoted_name(*in_b) + " only on the target";
}

// Pending entries come sorted by id on both sides: the first that differs.
std::string compare_pending(const std::vector<PendingEntryView>& a,
                            const std::vector<PendingEntryView>& b) {
  std::size_t i = 0;
  for (; i < a.size() && i < b.size(); ++i) {
    const std::string entry = "pending entry " + std::string(a[i].id);
    if (a[i].id != b[i].id) {
      return parse_stream_id(a[i].id) < parse_stream_id(b[i].id)
                 ? entry + " missing on the target"
                 : "pending entry " + std::string(b[i].id) + " only on the target";
    }
    if (a[i].consumer != b[i].consumer) {
      return entry + ": consumer " + quoted_name(a[i].consumer) + " vs " +
             quoted_name(b[i].consumer);
    }
    if (a[i].delivery_count != b[i].delivery_count) {
      return entry + ": delivery count " + std::to_string(a[i].delivery_count) + " vs " +
             std::to_string(b[i].delivery_count);
    }
  }
  if (i < a.size()) return "pending entry " + std::string(a[i].id) + " missing on the target";
  if (i < b.size()) return "pending entry " + std::string(b[i].id) + " only on the target";
  return {};
}

std::string compare_group(const GroupView& a, const GroupView& b, const HoldsEntry& source_holds,
                          const HoldsEntry& target_holds) {
  std::string difference;
  if (a.last_delivered_id != b.last_delivered_id) {
    difference = "last delivered id " + std::string(a.last_delivered_id) + " vs " +
                 std::string(b.last_delivered_id);
  }
  if (difference.empty())
    difference = known_difference("entries read", a.entries_read, b.entries_read);
  if (difference.empty()) difference = compare_consumers(a, b);
  if (difference.empty()) {
    difference = compare_pending(live_pending(a, source_holds), live_pending(b, target_holds));
  }
  return difference.empty() ? difference : "group " + quoted_name(a.name) + ": " + difference;
}

// Groups come sorted by name on both sides: the first name only one side has.
std::string compare_group_names(const std::vector<GroupView>& a, const std::vector<GroupView>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].name == b[i].name) continue;
    return a[i].name < b[i].name ? "group " + quoted_name(a[i].name) + " missing on the target"
                                 : "group " + quoted_name(b[i].name) + " only on the target";
  }
  if (a.size() > b.size())
    return "group " + quoted_name(a[b.size()].name) + " missing on the target";
  if (b.size() > a.size()) return "group " + quoted_name(b[a.size()].name) + " only on the target";
  return {};
}

}  // namespace

std::string compare_entry_runs(std::span<const StreamEntryView> source,
                               std::span<const StreamEntryView> target, std::uint64_t first_index) {
  const std::size_t common = std::min(source.size(), target.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (source[i].id != target[i].id) {
      return "entry " + std::to_string(first_index + i) + ": id " + std::string(source[i].id) +
             " vs " + std::string(target[i].id);
    }
    std::string difference = compare_entry(source[i], target[i]);
    if (!difference.empty()) return difference;
  }
  return {};
}

std::string compare_metadata(const StreamMetadataView& a, const StreamMetadataView& b,
                             const HoldsEntry& source_holds, const HoldsEntry& target_holds) {
  if (a.last_id != b.last_id) {
    return "last id " + std::string(a.last_id) + " vs " + std::string(b.last_id);
  }
  std::string difference = known_difference("entries added", a.entries_added, b.entries_added);
  if (difference.empty()) {
    difference = known_difference("max deleted id", a.max_deleted_id, b.max_deleted_id);
  }
  if (difference.empty()) difference = compare_group_names(a.groups, b.groups);
  for (std::size_t i = 0; difference.empty() && i < a.groups.size(); ++i) {
    difference = compare_group(a.groups[i], b.groups[i], source_holds, target_holds);
  }
  return difference;
}

ValueComparison compare_streams(const Record& source, const Record& target) {
  const StreamView a = parse_stream_parts(source.parts, true);
  const StreamView b = parse_stream_parts(target.parts, true);
  std::string difference = compare_entry_runs(a.entries, b.entries, 0);
  if (difference.empty() && a.entries.size() != b.entries.size()) {
    difference = struct_plugin::length_difference(a.entries.size(), true,
                                                  static_cast<std::int64_t>(b.entries.size()));
  }
  if (difference.empty()) {
    difference = compare_metadata(
        *a.metadata, *b.metadata, [&](std::string_view id) { return holds_entry(a.entries, id); },
        [&](std::string_view id) { return holds_entry(b.entries, id); });
  }
  return difference.empty() ? ValueComparison::same() : ValueComparison::differs(difference);
}

}  // namespace riot::stream_plugin
