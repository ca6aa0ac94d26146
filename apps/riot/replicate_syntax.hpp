#pragma once
// `riot replicate`'s command line: its options, their aliases, defaults and
// help. What they mean once read is in replicate_options.hpp.

#include "cli_options.hpp"

namespace riot::app {

// The options and the SOURCE TARGET arguments, with their help.
CommandSyntax replicate_command_syntax();

}  // namespace riot::app
