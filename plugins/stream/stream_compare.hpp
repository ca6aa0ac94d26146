#pragma once
// Compares stream values (parts as the reads make them): entries in order
// (ids and fields), last id, entries added, max deleted id, groups with
// their last delivered id and entries read, consumers, and pending entries
// by id, consumer and delivery count. A counter one side does not know ("",
// a Redis older than 7.0, an entries-read Redis cannot tell) is not
// compared. Not compared either, as no client can rebuild them: delivery
// times (set from the source's clock), consumers' seen times, and pending
// entries whose message no longer exists.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "riot/datatype.hpp"
#include "riot/record.hpp"
#include "stream_parts.hpp"

namespace riot::stream_plugin {

ValueComparison compare_streams(const Record& source, const Record& target);

// The pieces of compare_streams that a chunk's comparison uses too; each
// returns the detail of the first difference, "" when there is none.

// The entries both runs hold, in order; `first_index` numbers the first of
// them in details ("entry 3: id 4-1 vs 5-1"). Runs of unequal lengths are
// the caller's to judge.
std::string compare_entry_runs(std::span<const StreamEntryView> source,
                               std::span<const StreamEntryView> target, std::uint64_t first_index);

// Whether a side's stream holds the entry of this id: a pending entry whose
// message is gone cannot be rebuilt, so it is left out of the comparison.
using HoldsEntry = std::function<bool(std::string_view id)>;

// The stream's metadata: last id, counters, the groups' names, then each
// group.
std::string compare_metadata(const StreamMetadataView& source, const StreamMetadataView& target,
                             const HoldsEntry& source_holds, const HoldsEntry& target_holds);

}  // namespace riot::stream_plugin
