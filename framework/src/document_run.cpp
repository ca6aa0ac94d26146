// The pipelines of a document, in order: the next runs only when the one
// before was neither interrupted, stopped by a fatal error nor refused
// (failed keys and differences do not stop it; a live pipeline ended by its
// idle timeout goes on, to be verified).

#include "riot/host/runtime.hpp"
#include "run_summary_sum.hpp"

namespace riot::host {

std::vector<RunSummary> run_document(const DocumentSpec& document, const RunOptions& options,
                                     CancellationToken& cancel) {
  std::vector<RunSummary> summaries;
  for (const PipelineSpec& pipeline : document.pipelines) {
    summaries.push_back(run_pipeline(pipeline, options, cancel));
    if (!may_go_on(summaries.back())) break;
  }
  return summaries;
}

}  // namespace riot::host
