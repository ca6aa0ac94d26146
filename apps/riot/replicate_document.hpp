#pragma once
// The pipeline document `riot replicate`'s options stand for: the builder of
// the mode asked for (snapshot_document.hpp, live_document.hpp).

#include <nlohmann/json.hpp>

#include "replicate_options.hpp"

namespace riot::app {

nlohmann::json replicate_pipeline_document(const ReplicateOptions& options);

}  // namespace riot::app
