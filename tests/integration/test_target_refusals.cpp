// Refusals that no retry can mend and that are not about one key: a target
// that is a read-only replica, that does not know RESTORE, whose user may not
// run it; a source whose user may not run DUMP; a target older than the
// source. Each stops the run at the first batch, exit 3, with one message
// naming the side, the cause and what to do, never one line per key. A
// refusal about a key (a user limited to a key pattern) stays a failure of
// that key: the run goes on and names the keys.
//
// "Stopped at the first batch" is checked without timing: the queues are
// small, so what the readers can read before the run stops is bounded by
// them, far below the source's keys.
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "snapshot_test_fixture.hpp"
#include "support/fake_redis_server.hpp"

namespace riot::test {
namespace {

constexpr int kExitKeysFailed = 1;
constexpr int kExitFatal = 3;

constexpr std::size_t kKeys = 20000;
// Readers hold at most about 1000 records queued, plus a batch of 200 per
// reader and writer thread (4 each): well under half the source. The keys
// are strings, which the string fast path would copy by GET and SET: the
// runs turn it off to meet the DUMP and RESTORE refusals.
const std::vector<std::string> kSmallQueues{"--read-queue", "1000", "--write-queue", "1000",
                                            "--no-string-fast-path"};
constexpr long long kMostKeysReadBeforeTheStop = kKeys / 2;
constexpr std::size_t kMostRestoresBeforeTheStop = 4 * 200;  // a batch per writer

constexpr const char* kPassword = "s3cret-Passw0rd";

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// "redis://USER:PASSWORD@127.0.0.1:PORT"
std::string uri_with_user(const RedisServer& server, const std::string& user) {
  return "redis://" + user + ":" + kPassword + "@127.0.0.1:" + std::to_string(server.port());
}

void create_user(RedisServer& server, const std::vector<std::string>& rules) {
  std::vector<std::string> words{"ACL", "SETUSER", "riot", "on", std::string(">") + kPassword};
  words.insert(words.end(), rules.begin(), rules.end());
  const std::vector<std::string_view> command(words.begin(), words.end());
  auto connection = server.connect();
  const auto reply = connection.command(command);
  ASSERT_FALSE(reply.is_error()) << reply.str;
}

// A stand-in for a single server that answers every RESTORE with `error`
// (and counts them), and anything else as a standalone Redis would.
class RestoreRefusingServer {
 public:
  explicit RestoreRefusingServer(std::string error)
      : server_([this, error = std::move(error)](const std::vector<std::string>& command) {
          if (std::string reply = FakeRedisServer::handshake_reply(command); !reply.empty())
            return reply;
          if (command.front() != "RESTORE")
            return std::string("-ERR This instance has cluster support disabled\r\n");
          ++restores_;
          return "-" + error + "\r\n";
        }) {}

  std::string uri() const { return server_.uri(); }
  std::string endpoint() const { return "target 127.0.0.1:" + std::to_string(server_.port()); }
  std::size_t restores() const { return restores_; }

 private:
  std::atomic<std::size_t> restores_{0};
  FakeRedisServer server_;
};

class RefusalTest : public SnapshotTest {
 protected:
  void SetUp() override {
    auto source = source_->connect();
    write_strings(source, kKeys, 16);
  }

  ProcessResult replicate_to(const std::string& target_uri) {
    return replicate(source_->uri(), target_uri, kSmallQueues);
  }

  // Exit 3 before most keys were read, nothing written, and `message` (the
  // refusal with its remedy) said once: in the fatal error, not per key.
  static void expect_stopped_at_once(const ProcessResult& result, const std::string& message,
                                     const std::string& cause) {
    EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
    EXPECT_TRUE(result.mentions("Fatal error: sink: " + message)) << result.describe();
    EXPECT_EQ(count_of(result.err, cause), 1u) << "one message, not one per key\n"
                                               << result.describe();
    EXPECT_LT(result.summary_count("keys read"), kMostKeysReadBeforeTheStop)
        << "the run stopped at the first batch\n"
        << result.describe();
    EXPECT_EQ(result.summary_count("keys written"), 0) << result.describe();
    EXPECT_EQ(result.summary_count("keys failed"), 0)
        << "not a failure of each key: the run stopped\n"
        << result.describe();
    EXPECT_FALSE(result.mentions("retry")) << "no retry can mend it\n" << result.describe();
    EXPECT_FALSE(result.mentions(kPassword)) << result.describe();
  }

  std::string target_endpoint() const {
    return "target 127.0.0.1:" + std::to_string(target_->port());
  }
};

TEST_F(RefusalTest, AReadOnlyReplicaTargetStopsTheRunAtOnce) {
  RedisServer master;
  auto target = target_->connect();
  target.checked({"REPLICAOF", "127.0.0.1", std::to_string(master.port())});
  // Synchronised: a replica still loading its first sync answers LOADING,
  // which riot would rightly retry.
  while (target.checked({"INFO", "replication"}).str.find("master_link_status:up") ==
         std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));

  const ProcessResult result = replicate_to(target_->uri());

  expect_stopped_at_once(result,
                         target_endpoint() +
                             " is a read-only replica (READONLY You can't write against a read "
                             "only replica.): point TARGET at the master",
                         "READONLY");
}

TEST_F(RefusalTest, ATargetWithoutRestoreStopsTheRunAtOnce) {
  target_ =
      std::make_unique<RedisServer>(RedisServerOptions{.config = {"rename-command RESTORE \"\""}});

  const ProcessResult result = replicate_to(target_->uri());

  expect_stopped_at_once(result, target_endpoint() + " does not know the command RESTORE",
                         "unknown command");
  EXPECT_TRUE(result.mentions("allow RESTORE on TARGET")) << result.describe();
}

TEST_F(RefusalTest, ATargetUserWithoutRestoreStopsTheRunAtOnce) {
  create_user(*target_, {"~*", "+@all", "-restore"});

  const ProcessResult result = replicate_to(uri_with_user(*target_, "riot"));

  expect_stopped_at_once(result, target_endpoint() + " refuses RESTORE to this user (NOPERM",
                         "NOPERM");
  EXPECT_TRUE(result.mentions("ACL SETUSER <user> +restore")) << result.describe();
}

TEST_F(RefusalTest, ASourceUserWithoutDumpStopsTheRunAtOnce) {
  create_user(*source_, {"~*", "+@all", "-dump"});

  const ProcessResult result =
      replicate(uri_with_user(*source_, "riot"), target_->uri(), kSmallQueues);

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(
      result.mentions("Fatal error: reader: source 127.0.0.1:" + std::to_string(source_->port()) +
                      " refuses DUMP to this user (NOPERM"))
      << result.describe();
  EXPECT_EQ(count_of(result.err, "NOPERM"), 1u) << result.describe();
  EXPECT_EQ(result.summary_count("keys read"), 0) << result.describe();
  EXPECT_LT(result.summary_count("keys scanned"), static_cast<long long>(kKeys))
      << "the scan stopped too\n"
      << result.describe();
  EXPECT_FALSE(result.mentions(kPassword)) << result.describe();
}

// A user limited to a key pattern is refused some keys, not the command:
// each refused key fails by name, the others are copied, the run finishes.
TEST_F(RefusalTest, ATargetUserLimitedToAKeyPatternFailsTheOtherKeysByName) {
  constexpr std::size_t kAllowed = 300;
  auto source = source_->connect();
  write_strings(source, kAllowed, 16, "allowed:");
  create_user(*target_, {"~allowed:*", "+@all"});

  const ProcessResult result = replicate_to(uri_with_user(*target_, "riot"));

  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_TRUE(result.mentions("Summary: finished, some keys failed")) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kAllowed));
  EXPECT_EQ(result.summary_count("keys failed"), static_cast<long long>(kKeys));
  EXPECT_TRUE(result.mentions(std::to_string(kKeys) + " keys (first: \"key:")) << result.describe();
  EXPECT_TRUE(
      result.mentions("): RESTORE failed: NOPERM this user has no permissions to access "
                      "one of the keys used as arguments"))
      << result.describe();
  EXPECT_LT(count_of(result.err, "[warning]"), 10u) << "a few lines, not one per key\n"
                                                    << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<long long>(kAllowed));
}

// A target that answers every RESTORE as an older Redis does to a payload of
// a newer one. No older redis-server is at hand, hence a stand-in.
TEST_F(RefusalTest, ATargetOlderThanTheSourceStopsTheRunAtOnce) {
  RestoreRefusingServer older("ERR DUMP payload version or checksum are wrong");

  const ProcessResult result = replicate_to(older.uri());

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("Fatal error: sink: " + older.endpoint() +
                              " cannot read the source's DUMP payloads"))
      << result.describe();
  EXPECT_TRUE(result.mentions("use a target of the same Redis version as the source or newer"))
      << result.describe();
  EXPECT_EQ(count_of(result.err, "DUMP payload version"), 1u) << result.describe();
  EXPECT_LE(older.restores(), kMostRestoresBeforeTheStop) << "stopped at the first batches";
}

// A cluster node taken for a single server answers MOVED for the keys of
// other nodes' slots: not a resharding to wait out.
TEST_F(RefusalTest, AClusterTargetTakenForASingleServerStopsTheRunAtOnce) {
  RestoreRefusingServer node("MOVED 3999 127.0.0.1:1");

  const ProcessResult result = replicate_to(node.uri());

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("Fatal error: sink: " + node.endpoint() +
                              ": the server answered \"MOVED 3999 127.0.0.1:1\": it is a member of "
                              "a Redis Cluster, not a single server"))
      << result.describe();
  EXPECT_TRUE(result.mentions("use --target-cluster")) << result.describe();
  EXPECT_LE(node.restores(), kMostRestoresBeforeTheStop) << "not retried";
}

}  // namespace
}  // namespace riot::test
