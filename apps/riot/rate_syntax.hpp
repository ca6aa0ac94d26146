#pragma once
// `--rate` and `--rate-bytes`: how the rate limits are written on the
// command line of `riot replicate`.

#include "cli_options.hpp"

namespace riot::app {

// Adds the "Rate limits" group.
void add_rate_options(po::options_description& options);

}  // namespace riot::app
