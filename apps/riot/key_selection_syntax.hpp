#pragma once
// The command-line syntax of key selection and renaming: --key-include,
// --key-exclude and --key-process (read by key_selection_options.hpp).

#include "cli_options.hpp"

namespace riot::app {

void add_key_selection_options(po::options_description& options);

}  // namespace riot::app
