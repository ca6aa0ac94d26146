#include "snapshot_document.hpp"

#include <utility>

#include "compare_document.hpp"
#include "key_selection_stages.hpp"
#include "replicate_stages.hpp"
#include "value_stages.hpp"

namespace riot::app {

nlohmann::json snapshot_pipeline_document(const ReplicateOptions& options) {
  nlohmann::json copy{{"version", host::kPipelineVersion},
                      {"stages", with_key_transforms({{"source", source_scan_stage(options)},
                                                      {"reader", reader_stage(options)},
                                                      {"sink", sink_stage(options)}},
                                                     options)}};
  return with_verification(std::move(copy), "snapshot", options);
}

}  // namespace riot::app
