// Faults made for real in the middle of a snapshot: connections cut by a
// proxy on either side, the target restarted, paused beyond the command
// timeout, stopped for good, full (maxmemory with noeviction) for a while or
// for good, refusing keys with LOADING, SIGINT and SIGTERM, a server that
// answers garbage. Where recovery is possible riot recovers and every key
// lands; otherwise it stops with an error that counts and names the keys it
// could not write. Never a crash, never a key lost silently.
//
// compare_databases costs several round trips per key, so the datasets are
// small (10k keys) and the runs are stretched instead: riot talks to the
// server under test through a TcpProxy that delays every chunk, with small
// write batches, so a run lasts about two seconds and a fault triggered at
// 20% of the keys lands mid-run.
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <thread>

#include "snapshot_test_fixture.hpp"
#include "support/background_riot.hpp"
#include "support/fake_redis_server.hpp"
#include "support/tcp_proxy.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kExitFatal = 3;
constexpr int kExitInterrupted = 130;

constexpr std::size_t kKeys = 10000;
constexpr std::size_t kFaultAt = kKeys / 5;  // keys on the target when the fault is made
constexpr auto kProxyLatency = 1ms;          // per chunk, each way
constexpr auto kRiotTimeout = 60s;           // a hung riot is killed and the test fails

// One writer sending 10 records per round trip through the slow proxy: about
// 5000 keys/s, so a run of kKeys lasts about two seconds.
const std::vector<std::string> kPacedWrites{"--write-batch", "10", "--write-threads", "1"};
// The same pace for a run whose source is behind the proxy; a short read
// queue and small SCAN pages keep the scan going until the end.
const std::vector<std::string> kPacedReads{"--read-batch", "10",  "--read-threads", "1",
                                           "--read-queue", "100", "--scan-count",   "100"};

std::vector<std::string> concat(std::vector<std::string> first,
                                const std::vector<std::string>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

// The keys the summary names under "Failed keys, by cause", each cause a line
// "  N keys (first: "k1", "k2", "k3"): ERROR".
std::vector<std::string> listed_failed_keys(const ProcessResult& result) {
  std::vector<std::string> keys;
  const auto list = result.err.find("Failed keys, by cause:\n");
  if (list == std::string::npos) return keys;
  const std::regex cause("\n  \\d+ keys? \\(([^)]*)\\): ");
  const std::regex key("\"([^\"]+)\"");
  const std::string tail = result.err.substr(list);
  for (auto line = std::sregex_iterator(tail.begin(), tail.end(), cause);
       line != std::sregex_iterator(); ++line) {
    const std::string named = (*line)[1].str();
    for (auto it = std::sregex_iterator(named.begin(), named.end(), key);
         it != std::sregex_iterator(); ++it)
      keys.push_back((*it)[1].str());
  }
  return keys;
}

std::int64_t dbsize(redis::Connection& connection) {
  return connection.checked({"DBSIZE"}).integer;
}

// Polls until the server holds at least `keys` keys; false after `timeout`.
bool wait_for_keys(const RedisServer& server, std::size_t keys,
                   std::chrono::milliseconds timeout = 20s) {
  auto connection = server.connect();
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (dbsize(connection) >= static_cast<std::int64_t>(keys)) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

class FaultTest : public SnapshotTest {
 protected:
  void SetUp() override {
    auto source = source_->connect();
    write_strings(source, kKeys, 16);
  }

  // riot replicate SOURCE TARGET, in the background, without progress display.
  static std::unique_ptr<BackgroundRiot> start_replicate(const std::string& source_uri,
                                                         const std::string& target_uri,
                                                         const std::vector<std::string>& extra) {
    return std::make_unique<BackgroundRiot>(
        concat({"replicate", source_uri, target_uri, "--progress", "none"}, extra), kRiotTimeout);
  }

  // Every key of the source is on the target, with its value.
  void expect_identical_databases() {
    auto source = source_->connect();
    auto target = target_->connect();
    const auto differences = compare_databases(source, target);
    EXPECT_TRUE(differences.empty()) << summarize(differences);
  }

  // A proxy in front of a server, slowing every chunk down.
  static std::unique_ptr<TcpProxy> slow_proxy_to(const RedisServer& server) {
    auto proxy = std::make_unique<TcpProxy>(server.port());
    proxy->set_latency(kProxyLatency);
    return proxy;
  }
};

TEST_F(FaultTest, TargetConnectionsCutMidRunLoseNoKey) {
  auto proxy = slow_proxy_to(*target_);
  auto riot = start_replicate(source_->uri(), proxy->uri(), kPacedWrites);
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  proxy->cut_connections();
  // The reconnect is refused for a while too, as when a load balancer fails over.
  proxy->refuse_new_connections();
  std::this_thread::sleep_for(300ms);
  proxy->resume();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(proxy->connections_cut(), 1u);
  EXPECT_TRUE(result.mentions("sink.restore: target 127.0.0.1:" + std::to_string(proxy->port())))
      << "the retry is logged, naming the endpoint\n"
      << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kKeys));
  expect_identical_databases();
}

TEST_F(FaultTest, SourceConnectionsCutMidRunLoseNoKey) {
  auto proxy = slow_proxy_to(*source_);
  auto riot = start_replicate(proxy->uri(), target_->uri(), kPacedReads);
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  proxy->cut_connections();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(proxy->connections_cut(), 2u) << "the scan's and the reader's";
  EXPECT_TRUE(result.mentions("source.scan: source 127.0.0.1:")) << result.describe();
  EXPECT_TRUE(result.mentions("codec.dump: source 127.0.0.1:")) << result.describe();
  EXPECT_EQ(result.summary_count("keys scanned"), static_cast<long long>(kKeys))
      << "the scan resumed from its cursor: no key twice, none missed\n"
      << result.describe();
  expect_identical_databases();
}

TEST_F(FaultTest, TargetRestartedMidRunLosesNoKey) {
  target_ = std::make_unique<RedisServer>(RedisServerOptions{.persistence = true});
  auto proxy = slow_proxy_to(*target_);
  auto riot = start_replicate(source_->uri(), proxy->uri(), kPacedWrites);
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  target_->restart();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("sink.restore: target 127.0.0.1:")) << result.describe();
  expect_identical_databases();
}

TEST_F(FaultTest, TargetPausedBeyondTheTimeoutRecoversWhenItAnswersAgain) {
  auto proxy = slow_proxy_to(*target_);
  auto riot = start_replicate(
      source_->uri(), proxy->uri(),
      concat(kPacedWrites, {"--command-timeout", "300", "--connect-timeout", "300"}));
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  target_->pause();
  std::this_thread::sleep_for(2s);
  target_->resume();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("target 127.0.0.1:" + std::to_string(proxy->port()) +
                              ": the server did not answer within 300 ms (command timeout)"))
      << result.describe();
  expect_identical_databases();
}

TEST_F(FaultTest, RetriesExhaustedStopTheRunCountingAndNamingTheKeysNotWritten) {
  auto proxy = slow_proxy_to(*target_);
  auto riot = start_replicate(source_->uri(), proxy->uri(),
                              concat(kPacedWrites, {"--retry", "2", "--retry-delay", "50"}));
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  target_->stop();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_LT(result.seconds, 20.0) << "two short retries, not a hang";
  EXPECT_TRUE(
      result.mentions("Fatal error: sink: target 127.0.0.1:" + std::to_string(proxy->port())))
      << result.describe();
  EXPECT_TRUE(result.mentions("gave up after 2 retries")) << result.describe();
  EXPECT_TRUE(result.mentions("not written from this batch: 10 keys (first: \"key:"))
      << result.describe();
  const long long failed = result.summary_count("keys failed");
  EXPECT_GE(failed, 10) << "every key of the batch in flight is reported\n" << result.describe();
  EXPECT_LT(result.summary_count("keys written"), static_cast<long long>(kKeys));
  EXPECT_FALSE(listed_failed_keys(result).empty()) << result.describe();
  EXPECT_TRUE(result.mentions("keys scanned were not written")) << result.describe();
}

// How many commands the server refused with OOM so far.
long long oom_refusals(redis::Connection& connection) {
  const std::string stats = connection.checked({"INFO", "errorstats"}).str;
  const auto at = stats.find("errorstat_OOM:count=");
  return at == std::string::npos ? 0 : std::stoll(stats.substr(at + 20));
}

// Room for a third of the dataset or so (a key of 16 bytes takes about 80).
constexpr long long kRoomForSomeKeys = 256 * 1024;

TEST_F(FaultTest, PersistentOomStopsTheRunWithTargetFull) {
  limit_memory(*target_, kRoomForSomeKeys);
  const ProcessResult result =
      replicate(concat(kPacedWrites, {"--retry", "2", "--retry-delay", "50"}));

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions(
      "Fatal error: sink: target 127.0.0.1:" + std::to_string(target_->port()) + ": target full: "))
      << result.describe();
  EXPECT_TRUE(result.mentions("still refused with OOM after 2 retries")) << result.describe();
  const long long failed = result.summary_count("keys failed");
  EXPECT_GT(failed, 0) << result.describe();
  auto target = target_->connect();
  const std::int64_t landed = dbsize(target);
  EXPECT_GT(landed, 0);
  EXPECT_LT(landed, static_cast<std::int64_t>(kKeys));
  EXPECT_EQ(result.summary_count("keys written"), landed) << "written means on the target";
  const auto listed = listed_failed_keys(result);
  EXPECT_FALSE(listed.empty()) << result.describe();
  for (const auto& key : listed)
    EXPECT_EQ(target.checked({"EXISTS", key}).integer, 0) << key << " reported failed but landed";
  EXPECT_TRUE(
      result.mentions("\n  " + std::to_string(failed) + (failed == 1 ? " key (" : " keys (")))
      << "one cause, every failed key\n"
      << result.describe();
  // The keys are strings: SET (the string fast path).
  EXPECT_TRUE(result.mentions("\"): SET failed: OOM")) << result.describe();
}

TEST_F(FaultTest, TransientOomIsRetriedUntilTheTargetHasRoom) {
  limit_memory(*target_, kRoomForSomeKeys);
  auto riot = start_replicate(source_->uri(), target_->uri(), kPacedWrites);
  auto target = target_->connect();
  const auto deadline = Clock::now() + 20s;
  while (oom_refusals(target) == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_GT(oom_refusals(target), 0) << "the target never filled up";
  std::this_thread::sleep_for(1s);
  target.checked({"CONFIG", "SET", "maxmemory", "0"});
  const ProcessResult result = riot->wait();

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("refused: OOM")) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  expect_identical_databases();
}

// SIGINT and SIGTERM stop the run: no more reading, the writes in flight end,
// the summary is printed, exit 130. What it counts as written is on the target.
void expect_graceful_stop(int signal, RedisServer& source, RedisServer& target) {
  auto proxy = std::make_unique<TcpProxy>(target.port());
  proxy->set_latency(kProxyLatency);
  BackgroundRiot riot(
      concat({"replicate", source.uri(), proxy->uri(), "--progress", "none"}, kPacedWrites),
      kRiotTimeout);
  const pid_t pid = riot.pid();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_keys(target, kFaultAt));
  const auto signalled = Clock::now();
  ASSERT_EQ(::kill(pid, signal), 0);
  const ProcessResult result = riot.wait();

  EXPECT_EQ(result.exit_code, kExitInterrupted) << result.describe();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - signalled).count(), 5.0)
      << "the run stops promptly";
  EXPECT_TRUE(result.mentions("Summary: interrupted")) << result.describe();
  EXPECT_TRUE(result.mentions("Interrupted before the end")) << result.describe();
  const long long written = result.summary_count("keys written");
  auto connection = target.connect();
  EXPECT_GT(written, 0) << result.describe();
  EXPECT_LT(written, static_cast<long long>(kKeys)) << "stopped mid-run\n" << result.describe();
  EXPECT_LE(written, dbsize(connection)) << "abandoned keys are not counted as written";
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
}

TEST_F(FaultTest, SigintStopsTheRunWithTheSummary) {
  expect_graceful_stop(SIGINT, *source_, *target_);
}

TEST_F(FaultTest, SigtermStopsTheRunWithTheSummary) {
  expect_graceful_stop(SIGTERM, *source_, *target_);
}

TEST_F(FaultTest, ASignalDuringRetriesStopsTheWaitAndReportsTheBatch) {
  auto proxy = slow_proxy_to(*target_);
  BackgroundRiot riot(concat({"replicate", source_->uri(), proxy->uri(), "--progress", "none",
                              "--retry-delay", "10000"},
                             kPacedWrites),
                      kRiotTimeout);
  const pid_t pid = riot.pid();
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_keys(*target_, kFaultAt));
  target_->stop();
  std::this_thread::sleep_for(500ms);  // the writer is now waiting 10 s before its retry
  const auto signalled = Clock::now();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const ProcessResult result = riot.wait();

  EXPECT_EQ(result.exit_code, kExitInterrupted) << result.describe();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - signalled).count(), 5.0)
      << "the backoff wait ends with the run";
  EXPECT_TRUE(result.mentions("retry 1 of 10 in 10000 ms")) << result.describe();
  EXPECT_TRUE(result.mentions("(the run stopped before the next retry)")) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 10) << "the batch in flight\n"
                                                     << result.describe();
}

TEST_F(FaultTest, TransientRefusalsAreRetriedForTheRefusedKeysOnly) {
  // A target that answers its first RESTOREs as a server still loading its
  // data does, then accepts everything.
  constexpr std::size_t kRefused = 1000;
  std::atomic<std::size_t> restores{0};
  FakeRedisServer fake([&restores](const std::vector<std::string>& command) -> std::string {
    if (std::string reply = FakeRedisServer::handshake_reply(command); !reply.empty()) return reply;
    if (++restores <= kRefused) return "-LOADING Redis is loading the dataset in memory\r\n";
    return "+OK\r\n";
  });
  const ProcessResult result =
      replicate(source_->uri(), fake.uri(), {"--retry-delay", "10", "--no-verify"});

  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("refused: LOADING")) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kKeys));
  EXPECT_EQ(restores.load(), kKeys + kRefused) << "each refused key re-sent once, no other";
}

// A server that passes the handshake and then answers every command with a
// byte no RESP reply starts with.
std::string garbage_after_handshake(const std::vector<std::string>& command) {
  const std::string reply = FakeRedisServer::handshake_reply(command);
  return reply.empty() ? "?this is not RESP\r\n" : reply;
}

TEST_F(FaultTest, GarbageFromTheTargetIsAnErrorNamingIt) {
  FakeRedisServer fake(&garbage_after_handshake);
  const ProcessResult result =
      replicate(source_->uri(), fake.uri(), {"--retry", "1", "--retry-delay", "10"});

  EXPECT_EQ(result.exit_code, kExitFatal) << "an error, not a crash\n" << result.describe();
  EXPECT_TRUE(result.mentions("Fatal error: sink: target 127.0.0.1:" + std::to_string(fake.port()) +
                              ": malformed reply"))
      << result.describe();
  EXPECT_GE(fake.connections_accepted(), 2u) << "the connection was closed and reopened";
}

TEST_F(FaultTest, GarbageFromTheSourceIsAnErrorNamingIt) {
  FakeRedisServer fake(&garbage_after_handshake);
  const ProcessResult result =
      replicate(fake.uri(), target_->uri(), {"--retry", "1", "--retry-delay", "10"});

  EXPECT_EQ(result.exit_code, kExitFatal) << "an error, not a crash\n" << result.describe();
  EXPECT_TRUE(
      result.mentions("source 127.0.0.1:" + std::to_string(fake.port()) + ": malformed reply"))
      << result.describe();
  EXPECT_TRUE(result.mentions("Fatal error: source: ")) << result.describe();
}

}  // namespace
}  // namespace riot::test
