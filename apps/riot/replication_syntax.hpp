#pragma once
// The replication group of `riot replicate`: --mode, --type, --dry-run,
// --no-replace, --print-pipeline (read in replicate_options.hpp, type_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_replication_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
