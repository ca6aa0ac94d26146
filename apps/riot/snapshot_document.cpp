#include "snapshot_document.hpp"

#include "replicate_stages.hpp"
#include "value_stages.hpp"

namespace riot::app {

nlohmann::json snapshot_pipeline_document(const ReplicateOptions& options) {
  return {{"version", host::kPipelineVersion},
          {"stages",
           {{"source", source_scan_stage(options)},
            {"reader", reader_stage(options)},
            {"sink", sink_stage(options)}}}};
}

}  // namespace riot::app
