#include "replicate_document.hpp"

#include "compare_document.hpp"
#include "live_document.hpp"
#include "snapshot_document.hpp"

namespace riot::app {

nlohmann::json replicate_pipeline_document(const ReplicateOptions& options) {
  if (options.only_compares()) return compare_pipeline_document(options);
  return options.follows_changes() ? live_pipeline_document(options)
                                   : snapshot_pipeline_document(options);
}

}  // namespace riot::app
