// The log level: --log-level, or the -q, -i, -d switches it cannot be
// combined with; --log-file made absolute.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "logging_options.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

GlobalOptions globals(const std::vector<std::string>& arguments) {
  return parse_command(CommandSyntax{}, arguments).global;
}

std::string error_for(const std::vector<std::string>& arguments) {
  try {
    (void)globals(arguments);
  } catch (const CommandLineError& error) {
    return error.what();
  }
  return "";
}

TEST(LoggingOptions, EveryLevelByName) {
  const std::pair<const char*, LogLevel> levels[] = {
      {"trace", LogLevel::trace}, {"debug", LogLevel::debug},  {"info", LogLevel::info},
      {"warn", LogLevel::warn},   {"WARNING", LogLevel::warn}, {"Error", LogLevel::error},
      {"off", LogLevel::off}};
  for (const auto& [name, level] : levels)
    EXPECT_EQ(globals({"--log-level", name}).log_level, level) << name;
}

TEST(LoggingOptions, TheSwitchesStillWork) {
  EXPECT_EQ(globals({}).log_level, LogLevel::warn);
  EXPECT_EQ(globals({"-d"}).log_level, LogLevel::debug);
  EXPECT_EQ(globals({"-i"}).log_level, LogLevel::info);
  EXPECT_EQ(globals({"-q"}).log_level, LogLevel::error);
}

TEST(LoggingOptions, ConflictsAndBadValuesNameTheOptions) {
  EXPECT_NE(
      error_for({"--log-level", "info", "-d"}).find("--log-level cannot be combined with --debug"),
      std::string::npos);
  EXPECT_NE(error_for({"-q", "--log-level", "error"}).find("--quiet"), std::string::npos);
  const std::string bad = error_for({"--log-level", "verbose"});
  EXPECT_NE(bad.find("'verbose' for --log-level"), std::string::npos) << bad;
  EXPECT_NE(bad.find("trace, debug, info, warn, error or off"), std::string::npos) << bad;
  EXPECT_NE(error_for({"--log-file", ""}).find("--log-file"), std::string::npos);
}

TEST(LoggingOptions, TheLogFileIsMadeAbsolute) {
  const GlobalOptions global = globals({"--log-file", "riot.log"});
  ASSERT_TRUE(global.log_file);
  EXPECT_EQ(*global.log_file, (std::filesystem::current_path() / "riot.log").string());
  EXPECT_FALSE(globals({}).log_file);
}

}  // namespace
}  // namespace riot::app
