#pragma once
// `riot plugins [--schema [NAME]]`: what the loaded plugins provide.

#include "cli_options.hpp"
#include "signal_handling.hpp"

namespace riot::app {

CommandSyntax plugins_command_syntax();

int plugins_command(const ParsedCommand& command, SignalWatcher& signals);

}  // namespace riot::app
