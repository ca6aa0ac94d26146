#pragma once
// The retries group of `riot replicate` (read in connection_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_retry_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
