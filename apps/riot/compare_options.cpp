#include "compare_options.hpp"

#include <array>

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

// The longest tolerance that still means something: a week, the longest
// idle timeout a pipeline takes.
constexpr std::int64_t kMaxTtlToleranceMs = std::int64_t{7} * 24 * 3600 * 1000;

constexpr std::array kChoices{Choice{"compare", "full", "full"},
                              Choice{"compare", "quick", "quick"}};

}  // namespace

CompareOptions read_compare_options(const po::variables_map& values) {
  CompareOptions options;
  options.verify = !values["no-verify"].as<bool>();
  options.depth = read_choice(values, "compare", kChoices);
  options.ttl_tolerance_ms = read_bounded(values, "ttl-tolerance", 0, kMaxTtlToleranceMs);
  options.show_diffs = values["show-diffs"].as<bool>();
  options.diff_report = read_optional(values, "diff-report");
  if (options.diff_report && options.diff_report->empty())
    throw CommandLineError("invalid value '' for --diff-report: expected a file name");
  options.repair_extra = values["repair-extra"].as<bool>();
  // Deleting what only the target holds is one more repair, not another.
  options.repair = values["repair"].as<bool>() || options.repair_extra;
  return options;
}

}  // namespace riot::app
