#pragma once
// The document of `riot replicate --mode scan`: one scan of the source, each
// key read once and written once.
//
//   source  source.scan on SOURCE
//   reader  codec.dump on SOURCE (codec.struct with --type struct)
//   sink    sink.restore on TARGET (sink.struct with --type struct; sink.null
//           with --dry-run)

#include <nlohmann/json.hpp>

#include "replicate_options.hpp"

namespace riot::app {

nlohmann::json snapshot_pipeline_document(const ReplicateOptions& options);

}  // namespace riot::app
