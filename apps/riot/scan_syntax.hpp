#pragma once
// The scan group of `riot replicate`: which keys the source scan emits (read
// in scan_options.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

void add_scan_options(po::options_description& options, const ReplicateOptions& defaults);

}  // namespace riot::app
