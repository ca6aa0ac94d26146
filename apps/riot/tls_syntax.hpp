#pragma once
// The TLS group of `riot replicate`: each side's TLS options (read in
// connection_side.hpp).

#include "cli_options.hpp"

namespace riot::app {

void add_tls_options(po::options_description& options);

}  // namespace riot::app
