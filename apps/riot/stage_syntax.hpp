#pragma once
// The reading and writing group of `riot replicate`: threads, batches, queues
// and the node read from (read in stage_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_stage_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
