#include "logging_options.hpp"

#include <array>
#include <filesystem>

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

struct LevelName {
  std::string_view name;
  LogLevel level;
};
constexpr std::array kLevelNames{
    LevelName{"trace", LogLevel::trace},  LevelName{"debug", LogLevel::debug},
    LevelName{"info", LogLevel::info},    LevelName{"warn", LogLevel::warn},
    LevelName{"warning", LogLevel::warn}, LevelName{"error", LogLevel::error},
    LevelName{"off", LogLevel::off}};

bool switched_on(const po::variables_map& values, const char* option) {
  return values.count(option) && values[option].as<bool>();
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  const std::string name = lowercase(std::string(text));
  for (const auto& [level_name, level] : kLevelNames)
    if (level_name == name) return level;
  return std::nullopt;
}

LogLevel read_log_level(const po::variables_map& values) {
  const bool quiet = switched_on(values, "quiet");
  const bool info = switched_on(values, "info");
  const bool debug = switched_on(values, "debug");
  if (quiet && (info || debug))
    throw CommandLineError("--quiet cannot be combined with --info or --debug");
  if (values.count("log-level")) {
    // Two ways of saying one thing: whichever came last would silently win.
    for (const char* option : {"quiet", "info", "debug"})
      if (switched_on(values, option))
        throw CommandLineError("--log-level cannot be combined with --" + std::string(option) +
                               ": both set the log level; give one");
    const std::string text = values["log-level"].as<std::string>();
    const auto level = parse_log_level(text);
    if (!level)
      throw CommandLineError("invalid value '" + text +
                             "' for --log-level: expected trace, debug, info, warn, error or off");
    return *level;
  }
  return debug ? LogLevel::debug : info ? LogLevel::info : quiet ? LogLevel::error : LogLevel::warn;
}

std::optional<std::string> read_log_file(const po::variables_map& values) {
  if (!values.count("log-file")) return std::nullopt;
  const std::string path = values["log-file"].as<std::string>();
  if (path.empty()) throw CommandLineError("invalid value '' for --log-file: expected a file");
  return std::filesystem::absolute(path).string();
}

}  // namespace riot::app
