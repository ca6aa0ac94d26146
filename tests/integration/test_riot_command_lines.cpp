// Command lines from the documentation of RIOT 2 (`riot-redis`), RIOT 3
// (`riot`) and RIOT-X (`riotx`), run unchanged against real servers (only the
// host names and ports are those of the test's servers), and the target
// checked key by key against the source. Also: -h as help or host, --timeout
// in seconds and --read-from's RIOT names, through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

struct DocumentedLine {
  const char* origin;  // where the line is documented
  const char* line;    // {SH} {SP}: the source's host and port; {TH} {TP}: the target's
};

// Live lines end by their idle timeout: the source must notify changes.
RedisServerOptions notifying() {
  return {.config = {"notify-keyspace-events KEA"}};
}

class RiotCommandLine : public ::testing::TestWithParam<DocumentedLine> {
 protected:
  std::unique_ptr<RedisServer> source_ = std::make_unique<RedisServer>(notifying());
  std::unique_ptr<RedisServer> target_ = std::make_unique<RedisServer>();

  // The documented line with the servers' addresses, split into words; the
  // program (riot, riot-redis, riotx) is the build tree's link of that name.
  std::vector<std::string> argv_for(std::string line) const {
    const auto replace = [&line](const std::string& from, const std::string& to) {
      for (std::size_t at; (at = line.find(from)) != std::string::npos;)
        line.replace(at, from.size(), to);
    };
    replace("{SH}", "127.0.0.1");
    replace("{TH}", "127.0.0.1");
    replace("{SP}", std::to_string(source_->port()));
    replace("{TP}", std::to_string(target_->port()));
    std::istringstream words(line);
    std::vector<std::string> argv;
    for (std::string word; words >> word;) argv.push_back(word);
    argv.front() = (std::filesystem::path(RIOT_BINARY).parent_path() / argv.front()).string();
    argv.insert(argv.begin() + 1, {"--progress", "none"});
    return argv;
  }
};

TEST_P(RiotCommandLine, RunsUnchangedAndCopiesEveryKey) {
  auto source = source_->connect();
  const std::size_t written =
      write_every_type_dataset(source, {.large_values = false, .small_strings = 300});
  const ProcessResult result = run_process(argv_for(GetParam().line));
  ASSERT_EQ(result.exit_code, 0) << GetParam().origin << "\n" << result.describe();
  auto target = target_->connect();
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << GetParam().origin << "\n" << summarize(differences);
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<long long>(written));
}

INSTANTIATE_TEST_SUITE_P(
    Documented, RiotCommandLine,
    ::testing::Values(
        // RIOT 2 (riot-redis 2.x, its replicate test resources).
        DocumentedLine{
            "RIOT 2: riot-redis -h source -p 6379 replicate -h target -p 6380 --batch 10",
            "riot-redis -h {SH} -p {SP} replicate -h {TH} -p {TP} --batch 10"},
        DocumentedLine{"RIOT 2: riot-redis -h source -p 6379 replicate --idle-timeout 500 -h "
                       "target -p 6380 --live",
                       "riot-redis -h {SH} -p {SP} replicate --idle-timeout 500 -h {TH} -p {TP} "
                       "--live"},
        DocumentedLine{"RIOT 2: riot-redis -h source -p 6379 replicate -h target -p 6380 "
                       "--batch 10 --type ds",
                       "riot-redis -h {SH} -p {SP} replicate -h {TH} -p {TP} --batch 10 --type ds"},
        DocumentedLine{"RIOT 2: riot-redis -r URI replicate -r URI --live (with --idle-timeout)",
                       "riot-redis -r redis://{SH}:{SP} replicate -r redis://{TH}:{TP} --live "
                       "--idle-timeout 500"},
        // RIOT 3 (redis.io's RIOT page; RIOT 3.1's test resources).
        DocumentedLine{"RIOT 3: riot -h source -p 6379 replicate -h target -p 6380 --batch 10",
                       "riot -h {SH} -p {SP} replicate -h {TH} -p {TP} --batch 10"},
        DocumentedLine{"RIOT 3: riot -h source -p 6379 replicate --type -h target -p 6380 "
                       "--batch 10",
                       "riot -h {SH} -p {SP} replicate --type -h {TH} -p {TP} --batch 10"},
        DocumentedLine{"RIOT 3: riot replicate --uri redis://source --target-uri redis://target "
                       "--mode live (with --idle-timeout)",
                       "riot replicate --uri redis://{SH}:{SP} --target-uri redis://{TH}:{TP} "
                       "--mode live --idle-timeout 500"},
        // RIOT-X (its replication docs).
        DocumentedLine{"RIOT-X: riotx replicate redis://source:6379 redis://target:6379",
                       "riotx replicate redis://{SH}:{SP} redis://{TH}:{TP}"},
        DocumentedLine{"RIOT-X: riotx replicate --struct redis://source redis://target",
                       "riotx replicate --struct redis://{SH}:{SP} redis://{TH}:{TP}"},
        DocumentedLine{"RIOT-X: riotx replicate --source-host source --source-port 6379 "
                       "--target-uri redis://target:6380",
                       "riotx replicate --source-host {SH} --source-port {SP} --target-uri "
                       "redis://{TH}:{TP}"},
        DocumentedLine{"RIOT-X: host:port shorthand", "riotx replicate {SH}:{SP} {TH}:{TP}"}));

// RIOT's -h is a host; riot's is help where no host can follow.
TEST(DashH, IsHelpWhereItCannotBeAHost) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"-h"},
                                               {"--help"},
                                               {"replicate", "-h"},
                                               {"replicate", "--help"},
                                               {"-h", "replicate"},
                                               {"replicate", "-h", "--mode", "live"}}) {
    const ProcessResult result = run_riot(args);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_NE(result.out.find("Usage: riot [GLOBAL OPTIONS]"), std::string::npos)
        << result.describe();
  }
  const ProcessResult replicate_help = run_riot({"replicate", "-h"});
  EXPECT_NE(replicate_help.out.find("--read-threads"), std::string::npos)
      << replicate_help.describe();
}

TEST(DashH, IsAHostWhereOneFollows) {
  RedisServer source;
  RedisServer target;
  auto source_connection = source.connect();
  write_strings(source_connection, 50, 10);
  const ProcessResult result =
      run_riot({"--progress", "none", "-h", "127.0.0.1", "-p", std::to_string(source.port()),
                "replicate", "-h", "127.0.0.1", "-p", std::to_string(target.port())});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target_connection = target.connect();
  EXPECT_EQ(target_connection.checked({"DBSIZE"}).integer, 50);
}

// What --print-pipeline writes for the options given.
ProcessResult printed(const std::vector<std::string>& options) {
  std::vector<std::string> args{"replicate", "redis://127.0.0.1:1", "redis://127.0.0.1:2",
                                "--print-pipeline", "--no-verify"};
  args.insert(args.end(), options.begin(), options.end());
  return run_riot(args);
}

TEST(RiotUnits, TimeoutIsInSecondsAndCommandTimeoutInMilliseconds) {
  const ProcessResult seconds = printed({"--timeout", "7"});
  ASSERT_EQ(seconds.exit_code, 0) << seconds.describe();
  EXPECT_NE(seconds.out.find("\"command_timeout_ms\": 7000"), std::string::npos) << seconds.out;
  const ProcessResult milliseconds = printed({"--command-timeout", "7"});
  ASSERT_EQ(milliseconds.exit_code, 0) << milliseconds.describe();
  EXPECT_NE(milliseconds.out.find("\"command_timeout_ms\": 7,"), std::string::npos)
      << milliseconds.out;
  const ProcessResult both = printed({"--timeout", "7", "--command-timeout", "7000"});
  EXPECT_EQ(both.exit_code, 2) << both.describe();
  EXPECT_NE(both.err.find("--timeout and --command-timeout"), std::string::npos) << both.err;
}

TEST(RiotUnits, ReadFromTakesRiotsNames) {
  const ProcessResult any_replica = printed({"--read-from", "ANY_REPLICA"});
  ASSERT_EQ(any_replica.exit_code, 0) << any_replica.describe();
  EXPECT_NE(any_replica.out.find("\"read_from\": \"replica\""), std::string::npos)
      << any_replica.out;
  for (const char* refused : {"master_preferred", "LOWEST_LATENCY"}) {
    const ProcessResult result = printed({"--read-from", refused});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_NE(result.err.find(std::string("--read-from ") + refused), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("use "), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace riot::test
