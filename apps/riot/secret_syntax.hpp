#pragma once
// The options that give a secret without typing it on the command line:
// --source-pass-file, --target-pass-file, --source-key-pwd-file,
// --target-key-pwd-file (read by secret_options.hpp).

#include "cli_options.hpp"

namespace riot::app {

void add_secret_options(po::options_description& options);

}  // namespace riot::app
