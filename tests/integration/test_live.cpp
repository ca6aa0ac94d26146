// Live replication end to end, standalone source: `riot replicate --mode
// live` follows the tests' own writer (support/live_writer), which changes
// the source with every core type and every command that changes keys, during
// the scan and after it; once riot is idle (--idle-timeout) the tests compare
// every key of both databases with their own code (compare_databases) and
// find them equal, with no extra key on the target. Faults are made for real:
// the subscription cut by a TCP proxy, the subscriber pushed past its
// output-buffer limit; and the settings riot must check: notifications off,
// CONFIG renamed away.
#include <signal.h>

#include <algorithm>
#include <string>
#include <vector>

#include "live_test_fixture.hpp"
#include "support/live_writer.hpp"
#include "support/redis_server.hpp"
#include "support/tcp_proxy.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kWriterCommands = 12000;
constexpr double kWriterRate = 4000;  // commands/s: the writer runs for about 3 s

// A server whose keyspace notifications are `flags` (KEA: what live mode needs).
RedisServerOptions notifying_server(std::string_view flags = "KEA",
                                    std::vector<std::string> extra_config = {}) {
  RedisServerOptions options;
  options.config = std::move(extra_config);
  options.config.push_back("notify-keyspace-events " + redis_config_string(flags));
  return options;
}

// A small every-type dataset for the scan to find.
DatasetOptions scanned_dataset() {
  DatasetOptions options;
  options.large_values = false;
  options.small_strings = 2000;
  return options;
}

LiveWriterOptions paced_writer(std::size_t commands = kWriterCommands) {
  LiveWriterOptions options;
  options.rate = kWriterRate;
  options.max_commands = commands;
  return options;
}

class LiveTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisServer> source_ = std::make_unique<RedisServer>(notifying_server());
  std::unique_ptr<RedisServer> target_ = std::make_unique<RedisServer>();

  ::testing::AssertionResult databases_equal() {
    auto source = source_->connect();
    auto target = target_->connect();
    StandaloneKeyspace source_keyspace(source);
    StandaloneKeyspace target_keyspace(target);
    return same_data(source_keyspace, target_keyspace);
  }

  // Fills the source, runs riot while the writer changes the source, and
  // checks the run ended by its idle timeout with both databases equal.
  // Returns riot's result for more checks.
  ProcessResult replicate_while_writing(LiveWriter& writer) {
    auto source = source_->connect();
    write_every_type_dataset(source, scanned_dataset());
    auto riot = start_live(live_args(source_->uri(), target_->uri()));
    writer.start();
    const LiveWriterReport report = writer.wait();
    const ProcessResult result = riot->wait();
    EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
    EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
    EXPECT_TRUE(databases_equal()) << "writer: " << report.describe() << "\n" << result.describe();
    EXPECT_GT(result.summary_count(kEventsReceived), 0) << result.describe();
    return result;
  }
};

TEST_F(LiveTest, StandaloneToStandaloneFollowsEveryChange) {
  LiveWriter writer(*source_, paced_writer());
  const ProcessResult result = replicate_while_writing(writer);
  EXPECT_EQ(result.summary_count(kRecoveries), 0) << "nothing was lost\n" << result.describe();
  // DEL, UNLINK, RENAME, MOVE and expiries delete keys on the source.
  EXPECT_GT(result.summary_count("deletes"), 0) << result.describe();
}

TEST_F(LiveTest, EveryTypeKeepsTheLastOfThousandsOfRewritesOfOneKey) {
  LiveWriterOptions options;
  options.mode = LiveWriterMode::same_key;
  options.rewrites_per_key = 3000;
  options.rate = 20000;
  LiveWriter writer(*source_, options);
  replicate_while_writing(writer);
}

TEST_F(LiveTest, SubscriptionCutByTheNetworkIsRecovered) {
  TcpProxy proxy(source_->port());
  LiveWriter writer(*source_, paced_writer());
  auto source = source_->connect();
  write_every_type_dataset(source, scanned_dataset());
  auto riot = start_live(live_args(proxy.uri(), target_->uri()));
  ASSERT_TRUE(wait_for_subscriptions(source));
  writer.start();
  ASSERT_TRUE(writer.wait_for_commands(kWriterCommands / 3)) << writer.stop().describe();
  proxy.cut_connections();
  const LiveWriterReport report = writer.wait();
  const ProcessResult result = riot->wait();

  EXPECT_GT(proxy.connections_cut(), 0u);
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_GE(result.summary_count(kRecoveries), 1) << result.describe();
  EXPECT_TRUE(result.mentions("lost")) << "riot says what happened\n" << result.describe();
  EXPECT_TRUE(databases_equal()) << "writer: " << report.describe() << "\n" << result.describe();
}

// A subscriber that falls behind by more than the output-buffer limit is
// disconnected by the server: every notification it had not read is lost.
TEST(LiveOutputBuffer, SubscriberDisconnectedByTheServerIsRecovered) {
  RedisServer source(notifying_server("KEA", {"client-output-buffer-limit pubsub 64kb 32kb 1"}));
  RedisServer target;
  auto connection = source.connect();
  write_every_type_dataset(connection, scanned_dataset());
  auto riot = start_live(live_args(source.uri(), target.uri()));
  ASSERT_TRUE(wait_for_subscriptions(connection));

  // One MSET of 2000 keys with 500-byte names: about 1 MB of notifications
  // at once, far past the hard limit of 64 KB, whatever riot's speed.
  std::vector<std::string> burst{"MSET"};
  for (int i = 0; i < 2000; ++i) {
    burst.push_back("burst:" + std::string(500, 'k') + std::to_string(i));
    burst.push_back("v" + std::to_string(i));
  }
  const std::vector<std::string_view> args(burst.begin(), burst.end());
  ASSERT_EQ(connection.command(args).str, "OK");
  LiveWriter writer(source, paced_writer(kWriterCommands / 2));
  const LiveWriterReport report = writer.run();
  const ProcessResult result = riot->wait();

  EXPECT_NE(source.log_tail().find("output buffer limits"), std::string::npos)
      << "the server did not disconnect the subscriber:\n"
      << source.log_tail();
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_GE(result.summary_count(kRecoveries), 1) << result.describe();
  EXPECT_TRUE(result.mentions("lost")) << "riot says what happened\n" << result.describe();
  auto target_connection = target.connect();
  StandaloneKeyspace source_keyspace(connection);
  StandaloneKeyspace target_keyspace(target_connection);
  EXPECT_TRUE(same_data(source_keyspace, target_keyspace))
      << "writer: " << report.describe() << "\n"
      << result.describe();
}

// Live mode needs K (keyspace events) and A, or every class of A that
// changes keys (g$lshzxet): without them riot would follow nothing.
class LiveRefusesMissingNotifications : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveRefusesMissingNotifications, NamingTheFlagsAndHowToSetThem) {
  RedisServer source(notifying_server(GetParam()));
  RedisServer target;
  auto connection = source.connect();
  write_strings(connection, 100, 8);
  const ProcessResult result = run_riot(live_args(source.uri(), target.uri()));

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("notify-keyspace-events")) << result.describe();
  EXPECT_TRUE(result.mentions("KEA")) << "says how to set them\n" << result.describe();
  auto target_connection = target.connect();
  EXPECT_EQ(target_connection.checked({"DBSIZE"}).integer, 0) << "nothing is copied";
}

// None; A without K; generic and string events only; every class but expired
// (x) and evicted (e), which delete keys too; E (keyevent) instead of K.
INSTANTIATE_TEST_SUITE_P(Flags, LiveRefusesMissingNotifications,
                         ::testing::Values("", "A", "Kg$", "Kg$lshzt", "Elg$shzxt"));

// A is an alias of g$lshzxet (and more classes riot does not need).
class LiveAcceptsNotifications : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveAcceptsNotifications, SpelledAnyWay) {
  RedisServer source(notifying_server(GetParam()));
  RedisServer target;
  auto connection = source.connect();
  write_strings(connection, 100, 8);
  const ProcessResult result = run_riot(live_args(source.uri(), target.uri(), "live", 500ms));

  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  auto target_connection = target.connect();
  EXPECT_EQ(target_connection.checked({"DBSIZE"}).integer, 100) << result.describe();
}

INSTANTIATE_TEST_SUITE_P(Flags, LiveAcceptsNotifications,
                         ::testing::Values("KA", "AKE", "Kg$lshzxet", "Kxeg$lshzt"));

TEST(LiveManagedService, ConfigRenamedAwayIsAWarningAndTheRunWorks) {
  RedisServer source(notifying_server("KEA", managed_service_config()));
  RedisServer target;
  LiveWriter writer(source, paced_writer(kWriterCommands / 2));
  auto connection = source.connect();
  write_every_type_dataset(connection, scanned_dataset());
  auto riot = start_live(live_args(source.uri(), target.uri()));
  writer.start();
  const LiveWriterReport report = writer.wait();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_TRUE(result.mentions("notify-keyspace-events")) << "warns it could not check them\n"
                                                         << result.describe();
  auto target_connection = target.connect();
  StandaloneKeyspace source_keyspace(connection);
  StandaloneKeyspace target_keyspace(target_connection);
  EXPECT_TRUE(same_data(source_keyspace, target_keyspace))
      << "writer: " << report.describe() << "\n"
      << result.describe();
}

TEST_F(LiveTest, LiveOnlyCopiesOnlyTheKeysChangedAfterTheStart) {
  constexpr std::size_t kUntouched = 500;
  auto source = source_->connect();
  write_strings(source, kUntouched, 16, "before:");
  auto riot = start_live(
      live_args(source_->uri(), target_->uri(), "liveonly", kLiveIdleTimeout, {"--no-verify"}));
  ASSERT_TRUE(wait_for_subscriptions(source));
  LiveWriter writer(*source_, paced_writer(kWriterCommands / 2));
  const LiveWriterReport report = writer.run();
  const ProcessResult result = riot->wait();
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();

  // The only differences: the keys written before the start, none on the target.
  auto target = target_->connect();
  StandaloneKeyspace source_keyspace(source);
  StandaloneKeyspace target_keyspace(target);
  const std::vector<std::string> differences = compare_databases(source_keyspace, target_keyspace);
  const auto untouched = std::count_if(differences.begin(), differences.end(), [](const auto& d) {
    return d.starts_with("missing on target: before:");
  });
  EXPECT_EQ(static_cast<std::size_t>(untouched), kUntouched) << summarize(differences);
  EXPECT_EQ(differences.size(), kUntouched)
      << summarize(differences) << "\nwriter: " << report.describe();
  EXPECT_GT(target.checked({"DBSIZE"}).integer, 0) << "the changes reached the target";
}

// A first SIGINT in live mode finishes cleanly: what was read is written,
// the summary is printed, exit 130.
TEST_F(LiveTest, SigintFinishesWhatWasRead) {
  auto source = source_->connect();
  write_every_type_dataset(source, scanned_dataset());
  auto riot = start_live(live_args(source_->uri(), target_->uri(), "live", 0ms));
  const pid_t pid = riot->pid();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_subscriptions(source));
  LiveWriterOptions options;
  options.rate = kWriterRate;  // until stopped: riot is interrupted while it follows
  LiveWriter writer(*source_, options);
  writer.start();
  ASSERT_TRUE(writer.wait_for_commands(kWriterCommands / 2)) << writer.stop().describe();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const ProcessResult result = riot->wait();
  const LiveWriterReport report = writer.stop();

  EXPECT_EQ(result.exit_code, kExitInterrupted) << result.describe();
  EXPECT_TRUE(result.mentions("Summary: interrupted")) << result.describe();
  EXPECT_TRUE(result.mentions("every change read before the signal was written"))
      << result.describe();
  EXPECT_FALSE(result.mentions("were not written")) << result.describe();
  EXPECT_GT(result.summary_count(kEventsReceived), 0) << "writer: " << report.describe() << "\n"
                                                      << result.describe();
  // Every notification taken in was applied or merged into an event waiting
  // for the same key, and every key scanned or notified became a write, a
  // delete, or a key that expired before it could be written, none failed
  // (a scanned key merged into a notification waiting for it is written
  // once, by that notification: hence at most).
  const long long received = result.summary_count(kEventsReceived);
  EXPECT_EQ(result.summary_count("events applied") + result.summary_count(kEventsCoalesced),
            received)
      << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  const long long settled =
      result.summary_count("keys written") + result.summary_count("keys deleted") +
      result.summary_count("keys skipped") + result.summary_count("keys expired");
  EXPECT_LE(settled, result.summary_count("keys scanned") + result.summary_count("events applied"))
      << result.describe();
  EXPECT_GE(settled, result.summary_count("events applied")) << result.describe();
}

TEST_F(LiveTest, IdleTimeoutEndsTheRunWithExitZero) {
  auto source = source_->connect();
  write_every_type_dataset(source, scanned_dataset());
  const ProcessResult result = run_riot(live_args(source_->uri(), target_->uri(), "live", 500ms));
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_EQ(result.summary_count(kEventsReceived), 0) << result.describe();
  EXPECT_TRUE(databases_equal()) << result.describe();
}

}  // namespace
}  // namespace riot::test
