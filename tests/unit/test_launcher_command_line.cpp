// The command line's shape: the command is found among global options
// (before or after it), and the global options combine as documented.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_options.hpp"
#include "commands.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

TEST(CommandLine, TheCommandIsTheFirstWordThatIsNoOptionValue) {
  const CommandLine line =
      split_command_line({"--plugin-path", "plugins", "-q", "--progress", "log", "run", "-"});
  ASSERT_TRUE(line.command);
  EXPECT_EQ(*line.command, "run");
  EXPECT_EQ(line.arguments,
            (std::vector<std::string>{"--plugin-path", "plugins", "-q", "--progress", "log", "-"}));
}

TEST(CommandLine, OptionsWithAnEqualsSignTakeNoNextWord) {
  const CommandLine line = split_command_line({"--plugin-path=dir", "plugins", "--schema"});
  ASSERT_TRUE(line.command);
  EXPECT_EQ(*line.command, "plugins");
  EXPECT_EQ(line.arguments, (std::vector<std::string>{"--plugin-path=dir", "--schema"}));
}

TEST(CommandLine, NoCommand) {
  EXPECT_FALSE(split_command_line({}).command);
  EXPECT_FALSE(split_command_line({"--version"}).command);
  EXPECT_FALSE(split_command_line({"--progress", "none", "-h"}).command);
}

TEST(CommandLine, EveryCommandIsKnown) {
  for (const char* name : {"replicate", "run", "validate", "plugins"}) {
    const Command* command = find_command(name);
    ASSERT_NE(command, nullptr) << name;
    EXPECT_EQ(command->syntax().name, name);
  }
  EXPECT_EQ(find_command("replicat"), nullptr);
}

GlobalOptions globals(const std::vector<std::string>& arguments) {
  return parse_command(CommandSyntax{}, arguments).global;
}

TEST(GlobalOptions, Defaults) {
  const GlobalOptions global = globals({});
  EXPECT_EQ(global.log_level, LogLevel::warn);
  EXPECT_EQ(global.progress, host::ProgressMode::automatic);
  EXPECT_FALSE(global.quiet);
  EXPECT_TRUE(global.plugin_paths.empty());
}

TEST(GlobalOptions, LogLevels) {
  EXPECT_EQ(globals({"-i"}).log_level, LogLevel::info);
  EXPECT_EQ(globals({"--debug"}).log_level, LogLevel::debug);
  EXPECT_EQ(globals({"-i", "-d"}).log_level, LogLevel::debug) << "the more verbose wins";
  EXPECT_EQ(globals({"-q"}).log_level, LogLevel::error);
  EXPECT_THROW(globals({"-q", "-d"}), CommandLineError);
}

TEST(GlobalOptions, QuietMeansNoProgress) {
  EXPECT_EQ(globals({"-q", "--progress", "bar"}).progress, host::ProgressMode::none);
}

TEST(GlobalOptions, ProgressModes) {
  EXPECT_EQ(globals({"--progress", "auto"}).progress, host::ProgressMode::automatic);
  EXPECT_EQ(globals({"--progress", "bar"}).progress, host::ProgressMode::bar);
  EXPECT_EQ(globals({"--progress", "log"}).progress, host::ProgressMode::log);
  EXPECT_EQ(globals({"--progress", "none"}).progress, host::ProgressMode::none);
  EXPECT_THROW(globals({"--progress", "fancy"}), CommandLineError);
}

TEST(GlobalOptions, PluginPathsRepeatInOrder) {
  EXPECT_EQ(globals({"--plugin-path", "a", "--plugin-path=b"}).plugin_paths,
            (std::vector<std::filesystem::path>{"a", "b"}));
}

}  // namespace
}  // namespace riot::app
