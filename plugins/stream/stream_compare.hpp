#pragma once
// Compares two whole stream values (parts as the reads make them): entries in
// order (ids and fields), last id, entries added, max deleted id, groups with
// their last delivered id and entries read, consumers, and pending entries by
// id, consumer and delivery count. Not compared, as no client can rebuild
// them: delivery times (set from the source's clock), consumers' seen times,
// and pending entries whose message no longer exists.

#include "riot/datatype.hpp"
#include "riot/record.hpp"

namespace riot::stream_plugin {

ValueComparison compare_streams(const Record& source, const Record& target);

}  // namespace riot::stream_plugin
