// riot: the command-line launcher. Parses the command line, configures
// logging, and hands over to the command; every error ends here as a message
// on stderr and an exit code.

#include <malloc.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "logging.hpp"
#include "riot/host/plugin_registry.hpp"
#include "riot_forms.hpp"
#include "signal_handling.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

// `riot`, `riot --help`, `riot --version`: no command given.
int run_without_command(const std::vector<std::string>& arguments) {
  const ParsedCommand parsed = parse_command(CommandSyntax{}, arguments);
  if (parsed.global.version) {
    std::cout << version_text() << '\n';
    return kExitSuccess;
  }
  if (parsed.global.help) {
    print_general_help(std::cout);
    return kExitSuccess;
  }
  print_general_help(std::cerr);
  return kExitUsage;
}

// What the user asked for cannot work as given: nothing ran.
int report_configuration_error(const std::string& context, const std::exception& error) {
  const std::string line = context + ": " + error.what();
  std::cerr << line << '\n';
  log_error_to_file(line);
  return kExitUsage;
}

int launch(RiotFlavour flavour, const std::vector<std::string>& words, SignalWatcher& signals) {
  std::string context = "riot";
  try {
    // RIOT's command lines run as riot's own (riot_forms.hpp).
    const CommandLine line = split_command_line(translate_riot_forms(flavour, words));
    if (!line.command) return run_without_command(line.arguments);
    const Command* command = find_command(*line.command);
    if (command == nullptr) {
      throw CommandLineError("unknown command '" + *line.command +
                             "'; commands: " + command_names());
    }
    context += " " + std::string(command->name);
    const CommandSyntax syntax = command->syntax();
    const ParsedCommand parsed = parse_command(syntax, line.arguments);
    if (parsed.global.help) {
      print_command_help(syntax, std::cout);
      return kExitSuccess;
    }
    if (parsed.global.version) {
      std::cout << version_text() << '\n';
      return kExitSuccess;
    }
    configure_logging(parsed.global.log_level, parsed.global.log_file);
    return command->execute(parsed, signals);
  } catch (const CommandLineError& error) {
    std::cerr << context << ": " << error.what() << "\nTry '" << context << " --help'.\n";
    return kExitUsage;
  } catch (const UsageError& error) {
    return report_configuration_error(context, error);
  } catch (const host::PluginError& error) {
    return report_configuration_error(context, error);
  } catch (const std::filesystem::filesystem_error& error) {  // an unreadable plugin directory
    return report_configuration_error(context, error);
  }
}

}  // namespace
}  // namespace riot::app

int main(int argc, char** argv) {
  // Values of a megabyte pass through riot by the thousand. glibc raises its
  // mmap threshold each time such a block is freed, after which they come
  // from the heap arenas of the worker threads, which keep the memory: with a
  // fixed threshold, every block from 256 KiB up is its own mapping, given
  // back to the system when freed, and riot's footprint follows its queues.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  // First, before any other thread exists: every thread inherits the blocked
  // signals, so only the watcher ever takes SIGINT and SIGTERM.
  riot::app::SignalWatcher signals;
  try {
    return riot::app::launch(riot::app::flavour_of_program(argc > 0 ? argv[0] : "riot"),
                             std::vector<std::string>(argv + 1, argv + argc), signals);
  } catch (const std::exception& error) {
    // As a run's summary says it (host::format_stop_line): one format for
    // every fatal error.
    const std::string line = std::string("Fatal error: ") + error.what();
    std::cerr << line << '\n';
    riot::app::log_error_to_file(line);
    return riot::app::kExitFatal;
  }
}
