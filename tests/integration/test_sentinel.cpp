// Redis Sentinel on either side, with real sentinels (redis-server
// --sentinel) watching a master and its replicas: riot asks them which
// server to use, reads from a replica when told to, names the URI when they
// cannot answer, and follows a failover in the middle of a snapshot and of a
// live run, with the target equal to the source at the end by the tests' own
// comparison.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "live_test_fixture.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/background_riot.hpp"
#include "support/command_stats.hpp"
#include "support/live_writer.hpp"
#include "support/sentinel_group.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

// riot replicate SOURCE TARGET --progress none EXTRA...
ProcessResult replicate(const std::string& source, const std::string& target,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"replicate", source, target, "--progress", "none"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_riot(args);
}

::testing::AssertionResult same_data(redis::Connection& source, redis::Connection& target) {
  const std::vector<std::string> differences = compare_databases(source, target);
  if (differences.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << summarize(differences);
}

// Waits until `server` holds at least `keys` keys; false after 60 s.
bool wait_for_keys(RedisServer& server, long long keys) {
  redis::Connection connection = server.connect();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (connection.checked({"DBSIZE"}).integer >= keys) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(Sentinel, SourceResolvedThroughTheFirstSentinelThatAnswers) {
  SentinelGroup group({.replicas = 1, .sentinels = 2});
  RedisServer target;
  redis::Connection master = group.master().connect();
  write_every_type_dataset(master, {.large_values = false});
  // A first sentinel that is down hands over to the next one.
  const std::string source = "redis-sentinel://127.0.0.1:" + std::to_string(free_port()) + "," +
                             group.uri().substr(std::string("redis-sentinel://").size());
  const ProcessResult result =
      run_riot({"-i", "replicate", source, target.uri(), "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));
  // The log names the server the sentinels gave.
  EXPECT_TRUE(result.mentions("127.0.0.1:" + std::to_string(group.master().port()) + " (master " +
                              group.master_name() + " via sentinels"))
      << result.describe();
}

TEST(Sentinel, TargetResolvedToTheMasterWithAPasswordForTheDataNodes) {
  SentinelGroup group({.replicas = 1, .sentinels = 1, .password = "data-secret"});
  RedisServer source;
  redis::Connection original = source.connect();
  write_every_type_dataset(original, {.large_values = false});
  const ProcessResult result = replicate(source.uri(), group.uri(), {"-d"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  redis::Connection master = group.master().connect();
  EXPECT_TRUE(same_data(original, master));
  EXPECT_FALSE(result.mentions("data-secret"));
}

TEST(Sentinel, SentinelsWithAPasswordOfTheirOwn) {
  SentinelGroup group({.replicas = 1, .sentinels = 1, .sentinel_password = "watch-secret"});
  RedisServer target;
  redis::Connection master = group.master().connect();
  write_strings(master, 500, 16);
  const std::string uri =
      "redis-sentinel://127.0.0.1:" + std::to_string(group.sentinel_ports().front()) +
      "?master=" + group.master_name();
  const ProcessResult refused = replicate(uri, target.uri(), {"--retry", "0"});
  EXPECT_EQ(refused.exit_code, kExitFatal) << refused.describe();
  const ProcessResult result =
      replicate(uri, target.uri(), {"--source-sentinel-pass", "watch-secret"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));

  // The same password from the environment, kept off the command line: the
  // printed pipeline holds a reference, and runs with the environment alone.
  copy.checked({"FLUSHALL"});
  ProcessOptions with_variable;
  with_variable.environment = {{"RIOT_SOURCE_SENTINEL_PASS", "watch-secret"}};
  const ProcessResult printed =
      run_riot({"replicate", uri, target.uri(), "--print-pipeline"}, with_variable);
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  EXPECT_FALSE(printed.mentions("watch-secret")) << printed.describe();
  EXPECT_TRUE(printed.mentions("RIOT_SOURCE_SENTINEL_PASS")) << printed.describe();
  with_variable.stdin_data = printed.out;
  const ProcessResult from_environment =
      run_riot({"run", "-", "--progress", "none", "-d"}, with_variable);
  ASSERT_EQ(from_environment.exit_code, 0) << from_environment.describe();
  EXPECT_FALSE(from_environment.mentions("watch-secret")) << from_environment.describe();
  EXPECT_TRUE(same_data(master, copy));
}

TEST(Sentinel, ReadFromReplicaReadsAReplicaTheSentinelsName) {
  SentinelGroup group({.replicas = 1, .sentinels = 1});
  RedisServer target;
  redis::Connection master = group.master().connect();
  write_strings(master, 2000, 32);
  master.checked({"WAIT", "1", "5000"});
  redis::Connection replica = group.replicas().front()->connect();
  master.checked({"CONFIG", "RESETSTAT"});
  replica.checked({"CONFIG", "RESETSTAT"});
  // Without the verification, which reads the master as the comparison does.
  const ProcessResult result =
      replicate(group.uri(), target.uri(), {"--read-from", "replica", "--no-verify"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  // Counted before the tests' own comparison reads the master.
  EXPECT_GT(command_calls(replica, "scan"), 0);
  EXPECT_EQ(command_calls(master, "scan"), 0);
  EXPECT_EQ(command_calls(master, "get") + command_calls(master, "dump"), 0);
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));
}

TEST(Sentinel, AnUnknownMasterNameIsAnErrorNamingTheUri) {
  SentinelGroup group({.replicas = 0, .sentinels = 1});
  RedisServer target;
  const std::string uri =
      "redis-sentinel://:pw-not-shown@127.0.0.1:" + std::to_string(group.sentinel_ports().front()) +
      "?master=nosuchmaster";
  const ProcessResult result = replicate(uri, target.uri());
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("no sentinel knows a master named 'nosuchmaster'"))
      << result.describe();
  EXPECT_TRUE(result.mentions("redis-sentinel://:***@127.0.0.1:")) << result.describe();
  EXPECT_FALSE(result.mentions("pw-not-shown"));
}

TEST(Sentinel, NoSentinelReachableIsAnErrorNamingTheUri) {
  RedisServer target;
  const std::string uri = "redis-sentinel://127.0.0.1:" + std::to_string(free_port()) +
                          ",127.0.0.1:" + std::to_string(free_port()) + "?master=m";
  const ProcessResult result = replicate(uri, target.uri(), {"--retry", "0"});
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("no sentinel answered")) << result.describe();
  EXPECT_TRUE(result.mentions(uri)) << result.describe();
}

TEST(Sentinel, PrintedPipelineRunsTheSameWay) {
  SentinelGroup group({.replicas = 1, .sentinels = 1});
  RedisServer target;
  redis::Connection master = group.master().connect();
  write_strings(master, 300, 8);
  const ProcessResult printed = replicate(group.uri(), target.uri(), {"--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  EXPECT_NE(printed.out.find(group.uri()), std::string::npos) << printed.out;
  const std::filesystem::path file =
      std::filesystem::path(RIOT_TEST_TMPDIR) / "sentinel-pipeline.json";
  std::filesystem::create_directories(file.parent_path());
  {
    std::ofstream out(file);
    out << printed.out;
  }
  const ProcessResult result = run_riot({"run", file.string(), "--progress", "none"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));
}

TEST(Sentinel, CompareModeReadsBothSidesThroughSentinels) {
  SentinelGroup source_group({.replicas = 0, .sentinels = 1, .master_name = "src"});
  SentinelGroup target_group({.replicas = 0, .sentinels = 1, .master_name = "dst"});
  redis::Connection source = source_group.master().connect();
  write_strings(source, 200, 8);
  ASSERT_EQ(replicate(source_group.uri(), target_group.uri()).exit_code, 0);
  EXPECT_EQ(replicate(source_group.uri(), target_group.uri(), {"--mode", "compare"}).exit_code, 0);
  source.checked({"SET", "key:0", "changed"});
  const ProcessResult differs =
      replicate(source_group.uri(), target_group.uri(), {"--mode", "compare"});
  EXPECT_NE(differs.exit_code, 0) << differs.describe();
}

// The copy is slowed (small batches, one reader) so that the failover lands
// in its middle: the scan restarts on the new master, what was being written
// is sent again, and the target ends equal to the source.
TEST(Sentinel, FailoverOfTheSourceMidSnapshotLosesNoKey) {
  SentinelGroup group({.replicas = 1, .sentinels = 1});
  RedisServer target;
  {
    redis::Connection master = group.master().connect();
    write_strings(master, 40000, 64);
    master.checked({"WAIT", "1", "10000"});
  }
  // --rate keeps the snapshot going for 10 s at least, so that the failover
  // lands in its middle however fast the machine. The test compares the
  // databases itself, so riot's own (equally paced) verification is left out.
  BackgroundRiot riot({"replicate", group.uri(), target.uri(), "--progress", "none", "--rate",
                       "4000", "--read-batch", "20", "--write-batch", "20", "--read-threads", "1",
                       "--write-threads", "1", "--scan-count", "20", "--no-verify"},
                      240s);
  ASSERT_TRUE(wait_for_keys(target, 2000));
  group.failover();
  const ProcessResult result = riot.wait();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("failover")) << result.describe();
  redis::Connection master = group.master().connect();
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));
}

// Redis replication is asynchronous: what the old master acknowledged after
// the promotion, before riot's next check, is lost with its resync. riot
// follows the failover, its verification reports what is missing (exit 4),
// and a repair makes the target whole.
TEST(Sentinel, FailoverOfTheTargetMidSnapshotIsFollowedAndRepaired) {
  SentinelGroup group({.replicas = 1, .sentinels = 1});
  RedisServer source;
  redis::Connection original = source.connect();
  write_strings(original, 40000, 64);
  BackgroundRiot riot({"replicate", source.uri(), group.uri(), "--progress", "none", "--rate",
                       "4000", "--write-batch", "20", "--write-threads", "1", "--read-batch", "20"},
                      240s);
  ASSERT_TRUE(wait_for_keys(group.master(), 2000));
  group.failover();
  const ProcessResult result = riot.wait();
  EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 4) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  EXPECT_TRUE(result.mentions("failover")) << result.describe();
  const ProcessResult repair =
      replicate(source.uri(), group.uri(), {"--mode", "compare", "--repair"});
  ASSERT_EQ(repair.exit_code, 0) << repair.describe();
  redis::Connection master = group.master().connect();
  EXPECT_TRUE(same_data(original, master));
}

// The writer goes on through the failover (its connection follows the
// sentinels too); riot's subscription is lost with the old master, comes
// back on the new one, and the reconciliation repairs the gap.
TEST(Sentinel, FailoverOfTheSourceDuringALiveRunEndsEqual) {
  SentinelGroup group({.replicas = 1, .sentinels = 1, .config = {"notify-keyspace-events KEA"}});
  RedisServer target;
  redis::ConnectionOptions writer_connection;
  writer_connection.uri = redis::Uri::parse(group.uri());
  writer_connection.client_name = "riot-test-writer";
  LiveWriter writer(writer_connection, {.rate = 2000, .move_db = -1});
  // Idle longer than a failover takes, so that its quiet moment does not end
  // the run.
  auto riot = start_live(live_args(group.uri(), target.uri(), "live", 8000ms));
  {
    redis::Connection master = group.master().connect();
    ASSERT_TRUE(wait_for_subscriptions(master));
  }
  writer.start();
  ASSERT_TRUE(writer.wait_for_commands(2000));
  group.failover();
  ASSERT_TRUE(writer.wait_for_commands(writer.commands_sent() + 2000));
  const LiveWriterReport report = writer.stop();
  EXPECT_TRUE(report.failure.empty()) << report.describe();
  const ProcessResult result = riot->wait();
  ASSERT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_TRUE(result.mentions("failover")) << result.describe();
  redis::Connection master = group.master().connect();
  redis::Connection copy = target.connect();
  EXPECT_TRUE(same_data(master, copy));
}

}  // namespace
}  // namespace riot::test
