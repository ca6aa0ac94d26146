#include "replicate_document.hpp"

#include "compare_document.hpp"
#include "live_document.hpp"
#include "snapshot_document.hpp"

namespace riot::app {

nlohmann::json replicate_pipeline_document(const ReplicateOptions& options) {
  nlohmann::json document = options.only_compares()     ? compare_pipeline_document(options)
                            : options.follows_changes() ? live_pipeline_document(options)
                                                        : snapshot_pipeline_document(options);
  apply_rate_options(options.rates, document);
  return document;
}

}  // namespace riot::app
