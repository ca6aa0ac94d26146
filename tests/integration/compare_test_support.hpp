#pragma once
// What the comparison tests read back from riot: the summary line of a
// comparing pipeline, the diff report's JSON lines and the --show-diffs
// lines; and how they write values of many parts.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "riot/redis/connection.hpp"
#include "support/process.hpp"

namespace riot::test {

// `<pipeline>: N keys: a ok, b missing, c type, d value, e ttl, f extra`.
struct ComparisonCounts {
  long long keys = 0, ok = 0, missing = 0, type = 0, value = 0, ttl = 0, extra = 0;
  bool operator==(const ComparisonCounts&) const = default;
};
std::ostream& operator<<(std::ostream& out, const ComparisonCounts& counts);

// The counts of the summary line of `pipeline` ("compare", "verify"); none
// when riot printed no such line.
std::optional<ComparisonCounts> comparison_counts(const ProcessResult& result,
                                                  const std::string& pipeline);

// One line of the diff report.
struct ReportedDifference {
  std::string pipeline, pass, difference, key, detail;
  bool in_flight = false;
};

// Every line of the diff report, the keys decoded (key or key_base64).
std::vector<ReportedDifference> read_diff_report(const std::string& path);

// class -> keys, from the diff report, for comparisons with what a test made.
std::map<std::string, std::vector<std::string>> keys_by_class(
    const std::vector<ReportedDifference>& report);

// One command of any number of arguments (HSET key f1 v1 f2 v2 ...), checked.
void write_command(redis::Connection& connection, const std::vector<std::string>& args);

}  // namespace riot::test
