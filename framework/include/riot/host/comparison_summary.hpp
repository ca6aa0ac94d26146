#pragma once
// What a comparing pipeline found: how many keys compared equal and how many
// differ, by class, before and after a repair.

#include <cstdint>
#include <optional>
#include <string>

#include "riot/host_context.hpp"

namespace riot::host {

// One outcome per key either database holds (HostContext::report_equal and
// report_difference).
struct ComparisonCounts {
  std::uint64_t ok = 0;
  std::uint64_t missing = 0;
  std::uint64_t extra = 0;
  std::uint64_t type = 0;
  std::uint64_t value = 0;
  std::uint64_t ttl = 0;

  std::uint64_t& of(DifferenceClass difference);
  std::uint64_t of(DifferenceClass difference) const;
  std::uint64_t differences() const { return missing + extra + type + value + ttl; }
  std::uint64_t keys() const { return ok + differences(); }
  bool operator==(const ComparisonCounts&) const = default;
};

// What a repair did.
struct RepairFigures {
  std::uint64_t keys_copied = 0;    // written again from the source
  std::uint64_t keys_deleted = 0;   // extra keys deleted, or keys the source no longer holds
  ComparisonCounts compared_again;  // the repaired keys, compared once more
};

struct ComparisonSummary {
  ComparisonCounts counts;  // final: after the repair, when there was one
  std::optional<ComparisonCounts> before_repair;
  std::optional<RepairFigures> repair;
  // Keys different at first sight and equal at the second look.
  std::uint64_t equal_after_recheck = 0;
  // Differences whose two source reads disagreed (written during the comparison).
  std::uint64_t changed_during_comparison = 0;

  // The source was written while it was compared: a difference may be in flight.
  bool maybe_in_flight() const {
    return counts.differences() > 0 && (equal_after_recheck > 0 || changed_during_comparison > 0);
  }
};

// "999812 ok, 120 missing, 3 type, 41 value, 24 ttl, 7 extra": every class,
// always, so that scripts can read the line.
std::string format_counts(const ComparisonCounts& counts);

}  // namespace riot::host
