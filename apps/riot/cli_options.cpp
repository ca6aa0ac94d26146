#include "cli_options.hpp"

#include "exit_codes.hpp"
#include "logging_syntax.hpp"
#include "option_values.hpp"
#include "riot/version.hpp"
#include "usage_error.hpp"

#ifndef RIOT_VERSION
#define RIOT_VERSION "unknown"
#endif

namespace riot::app {

namespace {

// No abbreviations: "--dry" must not silently mean "--dry-run" today and
// become ambiguous when another option appears tomorrow.
constexpr int kParserStyle =
    po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

// In any case, as RIOT's styles were written (BLOCK, LOG); RIOT's bar styles
// (block, ascii, color) are riot's one bar.
host::ProgressMode parse_progress_mode(const std::string& text) {
  const std::string mode = lowercase(text);
  if (mode == "auto") return host::ProgressMode::automatic;
  if (mode == "bar" || mode == "block" || mode == "ascii" || mode == "color")
    return host::ProgressMode::bar;
  if (mode == "log") return host::ProgressMode::log;
  if (mode == "none") return host::ProgressMode::none;
  throw CommandLineError("invalid value '" + text +
                         "' for --progress: expected auto, bar, log or none (RIOT's block, "
                         "ascii and color are bar)");
}

GlobalOptions read_global_options(const po::variables_map& values) {
  GlobalOptions global;
  if (values.count("plugin-path")) {
    for (const auto& path : values["plugin-path"].as<std::vector<std::string>>()) {
      global.plugin_paths.emplace_back(path);
    }
  }
  global.quiet = values["quiet"].as<bool>();
  global.log_level = read_log_level(values);
  global.log_file = read_log_file(values);
  global.progress = global.quiet ? host::ProgressMode::none
                                 : parse_progress_mode(values["progress"].as<std::string>());
  global.help = values["help"].as<bool>();
  global.version = values["version"].as<bool>();
  return global;
}

// Whether `word` is a global option that takes its value from the next word
// ("--plugin-path DIR"), as opposed to "--plugin-path=DIR" or a switch.
bool global_option_takes_next_word(const po::options_description& global, const std::string& word) {
  if (word.size() < 2 || word[0] != '-' || word.find('=') != std::string::npos) return false;
  const std::string name = word.rfind("--", 0) == 0 ? word.substr(2) : word;
  const po::option_description* option = global.find_nothrow(name, false);
  return option != nullptr && option->semantic()->max_tokens() > 0;
}

}  // namespace

po::options_description global_options_description() {
  po::options_description global("Global options (before or after the command)");
  auto add = global.add_options();
  add("plugin-path", po::value<std::vector<std::string>>()->value_name("DIR")->composing(),
      "Directory of plugins, searched before the default ones ($RIOT_PLUGIN_PATH, then "
      "the bundled <prefix>/<libdir>/riot/plugins). Repeatable.");
  add("quiet,q", po::bool_switch(), "Print errors only: no progress, no summary.");
  add("info,i", po::bool_switch(), "Log at info level.");
  add("debug,d", po::bool_switch(), "Log at debug level.");
  add_logging_options(global);
  add("progress", po::value<std::string>()->value_name("MODE")->default_value("auto"),
      "Progress display: auto (a bar on a terminal, log lines otherwise), bar, log or none; "
      "case-insensitive (RIOT's block, ascii and color are bar).");
  add("version", po::bool_switch(), "Print the version and exit.");
  add("help,h", po::bool_switch(), "Print this help and exit.");
  return global;
}

CommandLine split_command_line(const std::vector<std::string>& words) {
  const po::options_description global = global_options_description();
  CommandLine line;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (!line.command && (word.empty() || word[0] != '-' || word == "-")) {
      line.command = word;
      continue;
    }
    line.arguments.push_back(word);
    if (!line.command && global_option_takes_next_word(global, word) && i + 1 < words.size()) {
      line.arguments.push_back(words[++i]);
    }
  }
  return line;
}

ParsedCommand parse_command(const CommandSyntax& syntax,
                            const std::vector<std::string>& arguments) {
  po::options_description all;
  all.add(syntax.options).add(syntax.arguments).add(global_options_description());
  ParsedCommand parsed;
  try {
    po::store(po::command_line_parser(arguments)
                  .options(all)
                  .positional(syntax.positional)
                  .style(kParserStyle)
                  .run(),
              parsed.values);
    po::notify(parsed.values);
  } catch (const po::too_many_positional_options_error&) {
    throw CommandLineError("too many arguments; usage: " + syntax.usage);
  } catch (const po::error& error) {
    throw CommandLineError(error.what());
  }
  parsed.global = read_global_options(parsed.values);
  return parsed;
}

void print_command_help(const CommandSyntax& syntax, std::ostream& out) {
  out << "Usage: " << syntax.usage << "\n\n" << syntax.description << '\n';
  // The command's options come in captioned groups, each printed after an
  // empty line; the global options are one group more.
  if (!syntax.options.options().empty()) out << syntax.options;
  out << '\n' << global_options_description() << '\n';
  if (!syntax.epilog.empty()) out << syntax.epilog << '\n';
  out << kExitCodesHelp;
}

std::string version_text() {
  return std::string("riot ") + RIOT_VERSION + " (plugin SDK " + std::to_string(kSdkVersion.major) +
         "." + std::to_string(kSdkVersion.minor) + "." + std::to_string(kSdkVersion.patch) +
         ", build tag " + kBuildTag + ")";
}

}  // namespace riot::app
