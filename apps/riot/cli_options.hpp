#pragma once
// The shape of the command line:
//
//   riot [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]
//
// Global options are accepted before or after the command: each command
// parses its own options together with the global ones.

#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "logging_options.hpp"
#include "riot/host/runtime.hpp"

namespace riot::app {

namespace po = boost::program_options;

struct GlobalOptions {
  std::vector<std::filesystem::path> plugin_paths;  // searched before the default directories
  LogLevel log_level = LogLevel::warn;
  std::optional<std::string> log_file;  // --log-file, absolute
  host::ProgressMode progress = host::ProgressMode::automatic;
  bool quiet = false;  // errors only, no progress, no summary
  bool help = false;
  bool version = false;
};

// One command's syntax: what its parser accepts and what its --help shows.
struct CommandSyntax {
  std::string name;                     // "replicate"
  std::string usage;                    // "riot [GLOBAL OPTIONS] replicate [OPTIONS] SOURCE TARGET"
  std::string description;              // what the command does, a paragraph
  po::options_description options{""};  // option groups, each with its caption
  po::options_description arguments;    // the positional ones: parsed, not listed as options
  po::positional_options_description positional;
  std::string epilog;  // examples
};

struct ParsedCommand {
  po::variables_map values;
  GlobalOptions global;
};

// The command word and every other argument, in order. The command is the
// first word that is neither an option nor the value of a global option.
struct CommandLine {
  std::optional<std::string> command;
  std::vector<std::string> arguments;
};
CommandLine split_command_line(const std::vector<std::string>& words);

// Parses `arguments` against the command's options and the global ones.
// Throws UsageError naming the offending option or value.
ParsedCommand parse_command(const CommandSyntax& syntax, const std::vector<std::string>& arguments);

// "riot replicate --help": usage, description, the command's options, the
// global options, examples and exit codes.
void print_command_help(const CommandSyntax& syntax, std::ostream& out);

// The global options section, shared by every help screen.
po::options_description global_options_description();

// "riot 0.1.0 (plugin SDK 2.0.0, build tag gcc-12/libstdc++-cxx11)".
std::string version_text();

}  // namespace riot::app
