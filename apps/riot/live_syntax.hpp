#pragma once
// The live replication group of `riot replicate`: how changes are followed
// (--idle-timeout, --flush-interval, --event-queue, --event-order; read in
// live_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_live_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
