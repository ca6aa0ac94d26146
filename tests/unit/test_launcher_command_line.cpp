// The command line's shape: the command is found among global options
// (before or after it), and the global options combine as documented.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "commands.hpp"
#include "help_text.hpp"
#include "replicate_syntax.hpp"
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
  // RIOT wrote its styles in upper case; its bar styles are riot's bar.
  EXPECT_EQ(globals({"--progress", "LOG"}).progress, host::ProgressMode::log);
  EXPECT_EQ(globals({"--progress", "None"}).progress, host::ProgressMode::none);
  EXPECT_EQ(globals({"--progress", "BLOCK"}).progress, host::ProgressMode::bar);
}

TEST(GlobalOptions, PluginPathsRepeatInOrder) {
  EXPECT_EQ(globals({"--plugin-path", "a", "--plugin-path=b"}).plugin_paths,
            (std::vector<std::filesystem::path>{"a", "b"}));
}

// The live options beside the global ones: RIOT's short spellings are long
// options of their own, never taken for a global switch or guessed from a
// prefix.
po::variables_map replicate_values(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {"redis://source:6379", "redis://target:6379"});
  return parse_command(replicate_command_syntax(), arguments).values;
}

TEST(CommandLine, LiveAliasesAreLongOptionsBesideTheGlobalSwitches) {
  const ParsedCommand parsed = parse_command(
      replicate_command_syntax(),
      {"redis://source:6379", "redis://target:6379", "-i", "--idle", "100", "--flush=7"});
  EXPECT_EQ(parsed.global.log_level, LogLevel::info) << "-i stays --info";
  EXPECT_EQ(parsed.values["idle-timeout"].as<std::int64_t>(), 100);
  EXPECT_EQ(parsed.values["flush-interval"].as<std::int64_t>(), 7);
}

TEST(CommandLine, LiveOptionsAreNotGuessedFromAPrefix) {
  for (const char* prefix : {"--event", "--idle-time", "--flush-int", "--event-q"}) {
    try {
      replicate_values({prefix, "1"});
      ADD_FAILURE() << prefix << " was accepted";
    } catch (const CommandLineError& error) {
      EXPECT_NE(std::string(error.what()).find(prefix), std::string::npos) << error.what();
    }
  }
}

TEST(CommandLine, LiveOptionsTakeTheirDefaultsUnlessGiven) {
  const po::variables_map values = replicate_values({});
  EXPECT_EQ(values.count("idle-timeout"), 0u) << "no idle timeout unless asked";
  EXPECT_EQ(values["flush-interval"].as<std::int64_t>(), 5);
  EXPECT_EQ(values["event-queue"].as<std::int64_t>(), 10000);
  EXPECT_EQ(values["event-order"].as<std::string>(), "fifo");
  EXPECT_TRUE(values["event-order"].defaulted());
}

TEST(CommandLine, ReplicateHelpListsTheLiveOptionsWithTheirDefaults) {
  const std::string help = help_text(replicate_command_syntax());
  for (const char* expected :
       {"--mode MODE (=scan)", "liveonly", "--idle-timeout MS", "Alias: --idle", "Default: none",
        "--flush-interval MS (=5)", "Alias: --flush", "--event-queue N (=10000)",
        "--event-order ORDER (=fifo)", "priority", "docs/live.md"}) {
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
  }
}

// --compare (an option) and compare (a --mode value) do not collide; the
// comparison switches are told apart exactly, never by a prefix.
TEST(CommandLine, ComparisonOptionsAreExactAndBesideTheMode) {
  const po::variables_map values =
      replicate_values({"--mode", "compare", "--compare=quick", "--repair-extra", "--show-diffs"});
  EXPECT_EQ(values["mode"].as<std::string>(), "compare");
  EXPECT_EQ(values["compare"].as<std::string>(), "quick");
  EXPECT_TRUE(values["repair-extra"].as<bool>());
  EXPECT_FALSE(values["repair"].as<bool>()) << "--repair-extra is its own switch";
  EXPECT_TRUE(values["show-diffs"].as<bool>());
  for (const char* prefix : {"--rep", "--diff", "--show", "--ttl", "--no-ver"}) {
    try {
      replicate_values({prefix});
      ADD_FAILURE() << prefix << " was accepted";
    } catch (const CommandLineError& error) {
      EXPECT_NE(std::string(error.what()).find(prefix), std::string::npos) << error.what();
    }
  }
}

TEST(CommandLine, ComparisonOptionsTakeTheirDefaultsUnlessGiven) {
  const po::variables_map values = replicate_values({});
  EXPECT_EQ(values["compare"].as<std::string>(), "full");
  EXPECT_EQ(values["ttl-tolerance"].as<std::int64_t>(), 100);
  EXPECT_EQ(values.count("diff-report"), 0u) << "no report unless asked";
  for (const char* off : {"no-verify", "show-diffs", "repair", "repair-extra"})
    EXPECT_FALSE(values[off].as<bool>()) << off;
}

}  // namespace
}  // namespace riot::app
