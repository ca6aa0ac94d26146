#include "commands.hpp"

#include <array>
#include <string>

#include "exit_codes.hpp"
#include "pipeline_command.hpp"
#include "plugins_command.hpp"
#include "replicate_command.hpp"
#include "replicate_syntax.hpp"

namespace riot::app {

namespace {

constexpr std::array kCommands{
    Command{"replicate",
            "Copy the keys of a Redis database into another, once or following its changes.",
            &replicate_command_syntax, &replicate_command},
    Command{"run", "Run a pipeline document.", &run_command_syntax, &run_command},
    Command{"validate", "Check a pipeline document without running it.", &validate_command_syntax,
            &validate_command},
    Command{"plugins", "List the loaded components, or print their configuration schemas.",
            &plugins_command_syntax, &plugins_command},
};

}  // namespace

const Command* find_command(std::string_view name) {
  for (const Command& command : kCommands) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

std::string command_names() {
  std::string names;
  for (const Command& command : kCommands)
    names += (names.empty() ? "" : ", ") + std::string(command.name);
  return names;
}

void print_general_help(std::ostream& out) {
  out << "Usage: riot [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]\n\n"
         "Moves data between Redis databases with what managed services allow (SCAN,\n"
         "DUMP, RESTORE): no REPLICAOF, SYNC, MIGRATE or CONFIG needed.\n\n"
         "Commands:\n";
  for (const Command& command : kCommands) {
    std::string name = command.name;
    name.resize(11, ' ');
    out << "  " << name << command.summary << '\n';
  }
  out << '\n'
      << global_options_description() << '\n'
      << "Run 'riot COMMAND --help' for a command's options and examples.\n\n"
      << kExitCodesHelp;
}

}  // namespace riot::app
