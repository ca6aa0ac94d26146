#include "stream_chunk_probes.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "riot/redis/errors.hpp"
#include "stream_compare.hpp"
#include "stream_parts.hpp"
#include "stream_replies.hpp"
#include "struct/difference_details.hpp"

namespace riot::stream_plugin {
namespace {

// XPENDING needs a count: every pending entry.
constexpr std::string_view kAllPending = "9223372036854775807";

// What one chunk asks the target, derived from the chunk alone so that the
// append and the decode agree on the commands.
struct ProbePlan {
  StreamView view;
  bool reads_entries = false;          // a chunk before the last with no entries has no range
  std::vector<std::string_view> held;  // the source's pending ids (last chunk), sorted, unique

  explicit ProbePlan(const Record& chunk)
      : view(parse_stream_parts(chunk.parts, chunk.chunk.last)),
        reads_entries(chunk.chunk.last || !view.entries.empty()) {
    if (!view.metadata) return;
    std::set<std::string_view> ids;
    for (const GroupView& group : view.metadata->groups) {
      for (const PendingEntryView& pending : group.pending) ids.insert(pending.id);
    }
    held.assign(ids.begin(), ids.end());
  }

  std::size_t group_count() const { return view.metadata ? view.metadata->groups.size() : 0; }

  std::size_t command_count() const {
    if (!view.metadata) return 1 + (reads_entries ? 1 : 0);
    return 5 + 2 * group_count() + held.size();
  }
};

[[noreturn]] void unexpected(std::string_view what) {
  throw redis::ReplyError("", "a stream chunk probe got " + std::string(what));
}

bool any_wrong_type(std::span<const redis::Reply> replies) {
  return std::any_of(replies.begin(), replies.end(), [](const redis::Reply& reply) {
    return reply.is_error() && reply.str.starts_with("WRONGTYPE");
  });
}

std::int64_t length_of(const redis::Reply& stream_info) {
  for (std::size_t i = 0; i + 1 < stream_info.elements.size(); i += 2) {
    if (stream_info.elements[i].str == "length" && stream_info.elements[i + 1].is_integer())
      return stream_info.elements[i + 1].integer;
  }
  unexpected("an XINFO STREAM reply without a length");
}

// The target's metadata in the parts layout, behind an entry count of 0.
// Its consumers and pending entries are read only when its groups are the
// source's (each was asked about by name); otherwise the groups' names
// differ, which the comparison finds first.
std::vector<std::string> target_metadata(std::span<redis::Reply> replies, const ProbePlan& plan) {
  redis::Reply& stream_info = replies[2];
  redis::Reply& groups = replies[3];
  std::vector<std::string> names = group_names(groups);
  std::vector<std::string_view> asked;
  for (const GroupView& group : plan.view.metadata->groups) asked.push_back(group.name);
  std::vector<redis::Reply> unread(2 * names.size());
  for (redis::Reply& reply : unread) reply.type = redis::ReplyType::array;
  const bool same_groups = std::equal(names.begin(), names.end(), asked.begin(), asked.end());
  const std::span<redis::Reply> per_group =
      same_groups ? replies.subspan(4, 2 * plan.group_count()) : std::span<redis::Reply>(unread);
  std::vector<std::string> parts;
  append_count(parts, 0);
  append_queried_metadata(stream_info, groups, per_group, unix_ms_of(replies.back()), parts);
  return parts;
}

}  // namespace

std::size_t append_stream_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                      std::string_view key, redis::KeyedCommands& commands) {
  const ProbePlan plan(chunk);
  commands.append(key, {"EXISTS", key});
  if (plan.reads_entries) {
    const std::string start = probe.position.empty() ? "-" : "(" + probe.position;
    const std::string end =
        chunk.chunk.last ? std::string("+") : std::string(plan.view.entries.back().id);
    const std::string count = std::to_string(plan.view.entries.size() + 1);
    commands.append(key, {"XRANGE", key, start, end, "COUNT", count});
  }
  if (!plan.view.metadata) return plan.command_count();
  commands.append(key, {"XINFO", "STREAM", key});
  commands.append(key, {"XINFO", "GROUPS", key});
  for (const GroupView& group : plan.view.metadata->groups) {
    commands.append(key, {"XINFO", "CONSUMERS", key, group.name});
    commands.append(key, {"XPENDING", key, group.name, "-", "+", kAllPending});
  }
  for (std::string_view id : plan.held) commands.append(key, {"XRANGE", key, id, id});
  // The server's clock turns XPENDING's idle times into delivery times, as in
  // the chunked read (they are not compared, but the layout holds them).
  commands.append(key, {"TIME"});
  return plan.command_count();
}

ValueComparison decode_stream_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                          ChunkProbe& probe) {
  const ProbePlan plan(chunk);
  if (replies.size() != plan.command_count()) {
    unexpected(std::to_string(replies.size()) + " replies, not " +
               std::to_string(plan.command_count()));
  }
  if (any_wrong_type(replies) || (replies[0].is_integer() && replies[0].integer == 0))
    return ValueComparison::differs(struct_plugin::no_value_on_target("stream"));
  if (!replies[0].is_integer()) unexpected("an EXISTS reply that is no integer");

  const std::vector<StreamEntryView>& source = plan.view.entries;
  std::vector<std::string> target_parts;
  if (plan.reads_entries) append_entries(replies[1], target_parts, "XRANGE");
  const StreamView target =
      plan.reads_entries ? parse_stream_parts(target_parts, false) : StreamView{};
  std::string difference = compare_entry_runs(source, target.entries, probe.elements);
  const std::uint64_t checked = probe.elements + source.size();
  if (difference.empty() && target.entries.size() != source.size()) {
    // A range before the last ends at the source's last id: a target short of
    // entries there lacks one; only the last range can hold more.
    if (plan.view.metadata) {
      difference = struct_plugin::length_difference(checked, true, length_of(replies[2]));
    } else if (target.entries.size() < source.size()) {
      difference =
          "entry " + std::string(source[target.entries.size()].id) + " missing on the target";
    } else {
      difference = "entry " + std::string(target.entries[source.size()].id) + " only on the target";
    }
  }
  if (!difference.empty()) return ValueComparison::differs(difference);
  probe.elements = checked;
  if (!source.empty()) probe.position = std::string(source.back().id);
  if (!plan.view.metadata) return ValueComparison::same();

  // The target's entries equal the source's: whether the target holds a
  // pending entry's message is whether the source does.
  std::set<std::string_view> held;
  const std::span<redis::Reply> lookups =
      replies.last(plan.held.size() + 1).first(plan.held.size());
  for (std::size_t i = 0; i < plan.held.size(); ++i) {
    if (!lookups[i].is_array()) unexpected("an XRANGE reply that is no array");
    if (!lookups[i].elements.empty()) held.insert(plan.held[i]);
  }
  const std::vector<std::string> metadata_parts = target_metadata(replies, plan);
  const StreamView target_metadata = parse_stream_parts(metadata_parts, true);
  difference = compare_metadata(
      *plan.view.metadata, *target_metadata.metadata,
      [&](std::string_view id) { return held.contains(id); },
      // Ids pending on the target only were not asked about: a difference
      // either way.
      [&](std::string_view id) {
        return held.contains(id) || !std::binary_search(plan.held.begin(), plan.held.end(), id);
      });
  return difference.empty() ? ValueComparison::same() : ValueComparison::differs(difference);
}

}  // namespace riot::stream_plugin
