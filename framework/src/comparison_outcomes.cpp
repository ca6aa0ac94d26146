#include "comparison_outcomes.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "key_encoding.hpp"
#include "riot/record.hpp"

namespace riot::host {

namespace {

constexpr DifferenceClass kClasses[] = {DifferenceClass::missing, DifferenceClass::extra,
                                        DifferenceClass::type, DifferenceClass::value,
                                        DifferenceClass::ttl};

std::size_t index_of(DifferenceClass difference) {
  return static_cast<std::size_t>(difference);
}

std::string_view key_on_source(const KeyDifference& difference) {
  return difference.source_key.empty() ? difference.key : difference.source_key;
}

}  // namespace

ComparisonOutcomes::ComparisonOutcomes(const PipelineSpec& pipeline, std::ostream& diffs_out)
    : pipeline_(pipeline.name),
      settings_(pipeline.comparison),
      keeps_keys_(pipeline.repair.has_value()),
      keeps_extra_(pipeline.repair && pipeline.repair->extra),
      diffs_out_(diffs_out) {}

void ComparisonOutcomes::open_report() {
  if (settings_.diff_report.empty()) return;
  report_.open(settings_.diff_report, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!report_) {
    throw std::runtime_error("cannot create the diff report '" + settings_.diff_report + "'");
  }
}

void ComparisonOutcomes::close_report() {
  if (!report_.is_open()) return;
  report_.flush();
  const bool failed = report_failed_ || !report_;
  report_.close();
  if (failed) {
    throw std::runtime_error("writing the diff report '" + settings_.diff_report + "' failed");
  }
}

void ComparisonOutcomes::start_over() {
  ok_ = 0;
  after_recheck_ = 0;
  changed_ = 0;
  for (auto& count : by_class_) count = 0;
  const std::lock_guard lock(mutex_);
  repair_keys_.clear();
  repair_counts_ = {};
  repair_key_bytes_ = 0;
}

void ComparisonOutcomes::report_equal(std::uint64_t keys, std::uint64_t after_recheck) {
  ok_.fetch_add(keys, std::memory_order_relaxed);
  if (after_recheck > 0) after_recheck_.fetch_add(after_recheck, std::memory_order_relaxed);
}

void ComparisonOutcomes::report_difference(const KeyDifference& difference) {
  by_class_[index_of(difference.difference)].fetch_add(1, std::memory_order_relaxed);
  if (difference.changed_during_comparison) changed_.fetch_add(1, std::memory_order_relaxed);
  const bool keep =
      keeps_keys_ && (difference.difference != DifferenceClass::extra || keeps_extra_);
  if (!keep && !settings_.show_diffs && !report_.is_open()) return;
  const std::lock_guard lock(mutex_);
  if (settings_.show_diffs) show(difference);
  if (report_.is_open()) write_report_line(difference);
  if (keep) {
    // A repair copies the key again from the source, under its source name.
    const std::string_view source_key = key_on_source(difference);
    repair_keys_.emplace_back(source_key);
    ++repair_counts_.of(difference.difference);
    repair_key_bytes_ += source_key.size();
  }
}

// `<class> "<printable key>" <detail>`, as it is found; a renamed key as
// `"<source key>" -> "<target key>"`.
void ComparisonOutcomes::show(const KeyDifference& difference) {
  diffs_out_ << to_string(difference.difference) << " \""
             << printable_key(key_on_source(difference)) << '"';
  if (!difference.source_key.empty())
    diffs_out_ << " -> \"" << printable_key(difference.key) << '"';
  if (!difference.detail.empty()) diffs_out_ << ' ' << difference.detail;
  diffs_out_ << '\n';
  diffs_out_.flush();
}

void ComparisonOutcomes::write_report_line(const KeyDifference& difference) {
  nlohmann::json line{{"pipeline", pipeline_},
                      {"pass", pass_},
                      {"class", std::string(to_string(difference.difference))},
                      {"detail", std::string(difference.detail)},
                      {"source_type", std::string(difference.source_type)},
                      {"target_type", std::string(difference.target_type)},
                      {"source_ttl_ms", difference.source_ttl_ms},
                      {"target_ttl_ms", difference.target_ttl_ms},
                      {"in_flight", difference.changed_during_comparison}};
  // "key" is the source's name; "target_key" the target's, when renamed.
  const auto add_key = [&line](const char* name, std::string_view key) {
    if (is_valid_utf8(key)) {
      line[name] = std::string(key);
    } else {
      line[std::string(name) + "_base64"] = base64_encode(key);
    }
  };
  add_key("key", key_on_source(difference));
  if (!difference.source_key.empty()) add_key("target_key", difference.key);
  // A detail may quote a value's bytes: never let them break the line.
  report_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (!report_) report_failed_ = true;
}

ComparisonCounts ComparisonOutcomes::counts() const {
  ComparisonCounts counts;
  counts.ok = ok_.load();
  for (const DifferenceClass difference : kClasses)
    counts.of(difference) = by_class_[index_of(difference)].load();
  return counts;
}

}  // namespace riot::host
