#pragma once
// `riot run PIPELINE.json|-` and `riot validate PIPELINE.json|-`.

#include "cli_options.hpp"
#include "signal_handling.hpp"

namespace riot::app {

CommandSyntax run_command_syntax();
CommandSyntax validate_command_syntax();

int run_command(const ParsedCommand& command, SignalWatcher& signals);
int validate_command(const ParsedCommand& command, SignalWatcher& signals);

}  // namespace riot::app
