#pragma once
// The launcher's commands and the help that lists them.

#include <ostream>
#include <string_view>

#include "cli_options.hpp"
#include "signal_handling.hpp"

namespace riot::app {

struct Command {
  const char* name;
  const char* summary;  // one line, for `riot --help`
  CommandSyntax (*syntax)();
  int (*execute)(const ParsedCommand& command, SignalWatcher& signals);
};

// Nothing when `name` is not a command.
const Command* find_command(std::string_view name);

// "replicate, run, validate, plugins".
std::string command_names();

// `riot --help`: usage, commands, global options, exit codes.
void print_general_help(std::ostream& out);

}  // namespace riot::app
