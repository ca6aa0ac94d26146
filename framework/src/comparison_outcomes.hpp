#pragma once
// The outcomes of a comparing pipeline, reported by its comparators from
// their worker threads (HostContext::report_equal / report_difference):
// counted by class, shown as lines on stdout (--show-diffs), written to the
// JSON-lines diff report, and kept as the keys a repair copies again.
//
// The keys to repair are held in memory: their count and bytes are logged,
// so that a comparison finding millions of differences says what it holds.

#include <atomic>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "riot/host/comparison_summary.hpp"
#include "riot/host/pipeline_spec.hpp"

namespace riot::host {

class ComparisonOutcomes {
 public:
  // `diffs_out`: where --show-diffs lines go (stdout).
  ComparisonOutcomes(const PipelineSpec& pipeline, std::ostream& diffs_out);

  // Creates (truncates) the diff report, if any; throws std::runtime_error
  // naming the path when it cannot.
  void open_report();
  // Flushes the diff report; throws naming the path when writing failed.
  void close_report();

  // "compare" or "recompare", for the diff report; between passes only.
  void set_pass(std::string pass) { pass_ = std::move(pass); }
  // The counts start again from zero (before a recompare); the keys to
  // repair are forgotten.
  void start_over();

  void report_equal(std::uint64_t keys, std::uint64_t after_recheck);
  void report_difference(const KeyDifference& difference);

  ComparisonCounts counts() const;
  std::uint64_t equal_after_recheck() const { return after_recheck_.load(); }
  std::uint64_t changed_during_comparison() const { return changed_.load(); }

  // The keys found different that a repair copies again, in the order
  // found, and their counts by class.
  const std::vector<std::string>& keys_to_repair() const { return repair_keys_; }
  const ComparisonCounts& repair_counts() const { return repair_counts_; }
  std::uint64_t repair_key_bytes() const { return repair_key_bytes_; }

 private:
  void show(const KeyDifference& difference);
  void write_report_line(const KeyDifference& difference);

  std::string pipeline_;
  ComparisonSettings settings_;
  bool keeps_keys_ = false;
  bool keeps_extra_ = false;
  std::ostream& diffs_out_;
  std::string pass_ = "compare";

  std::atomic<std::uint64_t> ok_{0};
  std::atomic<std::uint64_t> after_recheck_{0};
  std::atomic<std::uint64_t> changed_{0};
  std::atomic<std::uint64_t> by_class_[5] = {};

  std::mutex mutex_;  // one difference at a time: lines never interleave
  std::ofstream report_;
  bool report_failed_ = false;
  std::vector<std::string> repair_keys_;
  ComparisonCounts repair_counts_;
  std::uint64_t repair_key_bytes_ = 0;
};

}  // namespace riot::host
