#pragma once
// The comparison group of `riot replicate`: --mode compare and the
// verification after a copy (read in compare_options.hpp).

#include "cli_options.hpp"
#include "compare_options.hpp"

namespace riot::app {

void add_compare_options(po::options_description& options, const CompareOptions& defaults);

}  // namespace riot::app
