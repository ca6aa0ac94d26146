#pragma once
// `riot replicate [OPTIONS] SOURCE TARGET`: the options become a pipeline
// document, run like `riot run` runs a file.

#include "cli_options.hpp"
#include "signal_handling.hpp"

namespace riot::app {

int replicate_command(const ParsedCommand& command, SignalWatcher& signals);

}  // namespace riot::app
