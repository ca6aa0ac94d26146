// The logging options and the error format, with the riot binary: the log
// file, --log-level beside -q/-i/-d, NO_COLOR on a terminal, timestamped
// progress log lines, and one format for a fatal error at every level.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// A target nobody listens on: the run stops on a fatal error (exit 3).
std::string unreachable_uri() {
  return "redis://127.0.0.1:" + std::to_string(free_port());
}

class LoggingTest : public ::testing::Test {
 protected:
  RedisServer source_;
  std::filesystem::path directory_ = make_temp_directory("logging");
};

TEST_F(LoggingTest, TheLogFileGetsTheLogLinesTooAndTheFatalError) {
  const auto log = directory_ / "riot.log";
  std::ofstream(log) << "an earlier line\n";
  const auto result =
      run_riot({"replicate", source_.uri(), unreachable_uri(), "--progress", "none", "--retry", "0",
                "--log-level", "debug", "--log-file", log.string()});
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  const std::string logged = read_file(log);
  EXPECT_TRUE(logged.starts_with("an earlier line\n")) << "appended to, not truncated";
  EXPECT_TRUE(contains(logged, "] [debug] ")) << logged;
  EXPECT_TRUE(contains(logged, "] [error] Fatal error: ")) << logged;
  EXPECT_FALSE(contains(logged, "\033[")) << "a log file is never coloured";
  // Every debug line stderr shows is in the file.
  for (const std::string& line : lines_of(result.err))
    if (contains(line, "] [debug] ")) {
      EXPECT_TRUE(contains(logged, line)) << line;
    }
}

TEST_F(LoggingTest, AnUnwritableLogFileIsAUsageError) {
  const auto result = run_riot(
      {"replicate", source_.uri(), unreachable_uri(), "--log-file", "/nonexistent/riot/riot.log"});
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_TRUE(contains(result.err, "--log-file: cannot open '/nonexistent/riot/riot.log'"))
      << result.describe();
}

TEST_F(LoggingTest, LogLevelsFromTheOptionAndItsConflicts) {
  const auto debug = run_riot({"--log-level", "DEBUG", "validate", "-"}, {.stdin_data = "{}"});
  EXPECT_EQ(debug.exit_code, 2) << debug.describe();
  EXPECT_TRUE(contains(debug.err, "] [debug] loaded ")) << debug.describe();
  const auto warn = run_riot({"--log-level", "warn", "validate", "-"}, {.stdin_data = "{}"});
  EXPECT_FALSE(contains(warn.err, "[debug]")) << warn.describe();
  const auto off = run_riot({"replicate", source_.uri(), unreachable_uri(), "--progress", "none",
                             "--retry", "0", "--log-level", "off"});
  EXPECT_EQ(off.exit_code, 3) << off.describe();
  EXPECT_FALSE(contains(off.err, "] [")) << "no log line at all: " << off.describe();
  const auto conflict =
      run_riot({"replicate", "--log-level", "info", "-d", source_.uri(), unreachable_uri()});
  EXPECT_EQ(conflict.exit_code, 2) << conflict.describe();
  EXPECT_TRUE(contains(conflict.err, "--log-level cannot be combined with --debug"))
      << conflict.describe();
}

// The same fatal error reads the same at -q, at the default level and at -d:
// one "Fatal error: " line, never an spdlog line.
TEST_F(LoggingTest, AFatalErrorHasOneFormatAtEveryLevel) {
  const std::string target = unreachable_uri();
  std::vector<std::string> fatal_lines;
  for (const char* level : {"-q", "--log-level=warn", "-d"}) {
    const auto result =
        run_riot({"replicate", source_.uri(), target, "--progress", "none", "--retry", "0", level});
    EXPECT_EQ(result.exit_code, 3) << result.describe();
    std::vector<std::string> found;
    for (const std::string& line : lines_of(result.err)) {
      if (line.starts_with("Fatal error: ")) found.push_back(line);
      EXPECT_FALSE(contains(line, "] [error]")) << level << ": " << line;
    }
    ASSERT_EQ(found.size(), 1u) << level << ": " << result.describe();
    EXPECT_TRUE(contains(found.front(), "target 127.0.0.1:")) << found.front();
    fatal_lines.push_back(found.front());
    if (std::string(level) == "-q") {
      EXPECT_EQ(lines_of(result.err).size(), 1u) << "-q prints the fatal error alone";
    }
  }
  EXPECT_EQ(fatal_lines[0], fatal_lines[1]);
  EXPECT_EQ(fatal_lines[1], fatal_lines[2]);
}

// On a terminal (a pseudo-terminal made by script(1)) the level is coloured,
// unless NO_COLOR is set, whatever its value.
TEST_F(LoggingTest, NoColourWithNoColorOrOffATerminal) {
  // A warning is coloured yellow; --print-pipeline with a typed password
  // warns without connecting to anything.
  const std::string warn_command = std::string(RIOT_BINARY) + " replicate " + source_.uri() + " " +
                                   unreachable_uri() + " --target-pass typed --print-pipeline";
  const auto coloured = run_process({"script", "-qec", warn_command, "/dev/null"},
                                    {.environment = {{"TERM", "xterm"}}});
  ASSERT_EQ(coloured.exit_code, 0) << coloured.describe();
  EXPECT_TRUE(contains(coloured.out, "\033[33m"))
      << "coloured on a terminal: " << coloured.describe();
  const auto plain = run_process({"script", "-qec", warn_command, "/dev/null"},
                                 {.environment = {{"TERM", "xterm"}, {"NO_COLOR", ""}}});
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_TRUE(contains(plain.out, "[warning]")) << plain.describe();
  EXPECT_FALSE(contains(plain.out, "\033[33m")) << plain.describe();
  const auto piped = run_riot({"replicate", source_.uri(), unreachable_uri(), "--target-pass",
                               "typed", "--print-pipeline"});
  EXPECT_TRUE(contains(piped.err, "[warning]")) << piped.describe();
  EXPECT_FALSE(contains(piped.err, "\033[")) << "not a terminal: " << piped.describe();
}

// A live run that stays idle longer than the progress interval (5 s) logs
// at least one progress line, with its timestamp.
TEST(ProgressLog, ProgressLogLinesAreTimestamped) {
  RedisServerOptions notifying;
  notifying.config = {"notify-keyspace-events KEA"};
  RedisServer source(notifying);
  RedisServer target;
  const auto result = run_riot({"replicate", source.uri(), target.uri(), "--mode", "liveonly",
                                "--idle-timeout", "5600", "--no-verify", "--progress", "log"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const std::regex progress_line(
      R"(^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] progress: .*)");
  bool found = false;
  for (const std::string& line : lines_of(result.err))
    if (std::regex_match(line, progress_line)) found = true;
  EXPECT_TRUE(found) << result.describe();
}

}  // namespace
}  // namespace riot::test
