#pragma once
// One run of the runtime as a comparing pipeline's passes need it: outcomes
// reported to a recorder that outlives the pass, and sources that are not
// components of the document (the keys to repair, listed in memory).

#include <memory>
#include <string_view>

#include "comparison_outcomes.hpp"
#include "rate_limiter.hpp"
#include "riot/components.hpp"
#include "riot/host/runtime.hpp"

namespace riot::host {

struct PassSetup {
  // Receives HostContext::report_equal / report_difference; may be null.
  ComparisonOutcomes* outcomes = nullptr;
  // Replaces the spec's sources when set.
  std::unique_ptr<Source> source;
  // The sources walk the target on purpose (the extras pass): what they read
  // is no database the pipeline writes into.
  bool sources_read_target = false;
  // The pass's name for the run report and the metrics: "replicate",
  // "compare", "extras", "repair" or "recompare".
  std::string_view pass = "replicate";
  // The pipeline's rate limits, shared by its passes; made from the spec's
  // runtime settings when absent.
  std::shared_ptr<PipelineRateLimits> rates;
};

RunSummary run_pass(const PipelineSpec& spec, const RunOptions& options, CancellationToken& cancel,
                    PassSetup setup);

// Every pass of a comparing pipeline (comparison_run.cpp).
RunSummary run_comparison(const PipelineSpec& spec, const RunOptions& options,
                          CancellationToken& cancel);

}  // namespace riot::host
