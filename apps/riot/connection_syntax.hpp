#pragma once
// The connections group of `riot replicate`: each side's credentials, client
// name and cluster switch, and the timeouts of both (read in
// connection_side.hpp and connection_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_connection_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
