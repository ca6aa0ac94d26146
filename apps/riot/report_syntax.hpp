#pragma once
// The run report's and the metrics endpoint's options (`riot run` and
// `riot replicate`): how they are written on the command line.

#include "cli_options.hpp"

namespace riot::app {

// Adds the "Reports and metrics" group: --report, --metrics-port,
// --metrics-address.
void add_report_options(po::options_description& options);

}  // namespace riot::app
