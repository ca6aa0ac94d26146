#include "stream_losses.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "riot/record.hpp"

namespace riot::stream_plugin {
namespace {

// What was lost and why, completing "<count> ...".
std::string_view description(StreamLoss loss) {
  switch (loss) {
    case StreamLoss::pending_of_deleted_message:
      return "stream pending entries were not rebuilt: the target stream does not hold their "
             "message (deleted on the source, or older than the target's entries in a merge) and "
             "XCLAIM cannot claim a missing message";
    case StreamLoss::pending_under_dropped_ids:
      return "stream pending entries were not rebuilt: with stream ids dropped the entries got new "
             "ids on the target";
    case StreamLoss::group_placed_at_start:
      return "stream consumer groups were placed at the start of their stream: with stream ids "
             "dropped, the entry a group had reached was in an earlier chunk of a big stream (its "
             "consumers read the entries before it again)";
  }
  return "stream values lost something";
}

}  // namespace

void StreamLosses::add(StreamLoss loss, std::uint64_t count, std::string_view key) {
  if (count == 0) return;
  const std::uint64_t before =
      totals_[static_cast<std::size_t>(loss)].fetch_add(count, std::memory_order_relaxed);
  const std::string where = key.empty() ? std::string() : " (key \"" + printable_key(key) + "\")";
  if (before != 0) {
    host_.logger().debug("{} {}{}", count, description(loss), where);
    return;
  }
  host_.logger().warn(
      "{}{}; counted, the total is logged at the end of the run (see "
      "docs/datatypes.md, \"stream\")",
      description(loss), where);
  host_.add_summary_note(std::string(description(loss)) +
                         " (see docs/datatypes.md, \"stream\"; the total is in the log)");
}

StreamLosses::~StreamLosses() {
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    const std::uint64_t count = totals_[kind].load(std::memory_order_relaxed);
    if (count == 0) continue;
    host_.logger().info("in total, {} {}", count, description(static_cast<StreamLoss>(kind)));
  }
}

}  // namespace riot::stream_plugin
