#pragma once
// The global logging options: --log-level and --log-file (read by
// logging_options.hpp, beside -q, -i and -d).

#include "cli_options.hpp"

namespace riot::app {

void add_logging_options(po::options_description& global);

}  // namespace riot::app
