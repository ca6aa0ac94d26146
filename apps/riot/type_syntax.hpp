#pragma once
// The types and big keys group of `riot replicate` (read in type_options.hpp).

#include "cli_options.hpp"
#include "type_options.hpp"

namespace riot::app {

void add_type_options(po::options_description& options, const TypeOptions& defaults);

}  // namespace riot::app
