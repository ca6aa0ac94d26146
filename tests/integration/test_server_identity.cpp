// SOURCE and TARGET naming the same database, however spelled, is refused
// before anything is read or written (exit 2): riot would restore stale
// values over the applications' newer ones. Two databases of one server, or
// two servers, stay allowed.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

constexpr int kExitUsage = 2;

ProcessResult replicate(const std::string& source, const std::string& target,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-i", "replicate", source, target, "--progress", "none"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_riot(args);
}

// The refusal, and nothing written: the source's keys are as they were.
void expect_refused(const ProcessResult& result, redis::Connection& source, std::size_t keys) {
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("is the database read from")) << result.describe();
  EXPECT_TRUE(result.mentions("riot would write over the keys it reads")) << result.describe();
  EXPECT_EQ(result.summary_count("keys read"), 0) << result.describe();
  EXPECT_EQ(source.checked({"DBSIZE"}).integer, static_cast<long long>(keys));
}

// A server reachable over TCP and a Unix socket, with a few keys in db 0.
class SameServer : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_directory_ = make_temp_directory("identity-sock");
    server_ = std::make_unique<RedisServer>(
        RedisServerOptions{.config = {"unixsocket " + socket().string(), "unixsocketperm 700"}});
    connection_ = std::make_unique<redis::Connection>(server_->connect());
    write_strings(*connection_, kKeys, 8);
  }
  void TearDown() override {
    connection_.reset();
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(socket_directory_, ignored);
  }

  std::filesystem::path socket() const { return socket_directory_ / "redis.sock"; }
  std::string port() const { return std::to_string(server_->port()); }

  static constexpr std::size_t kKeys = 50;
  std::filesystem::path socket_directory_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<redis::Connection> connection_;
};

TEST_F(SameServer, TheSameUriTwice) {
  expect_refused(replicate(server_->uri(), server_->uri()), *connection_, kKeys);
}

TEST_F(SameServer, LoopbackAddressAndLocalhost) {
  const ProcessResult result =
      replicate("redis://127.0.0.1:" + port(), "redis://localhost:" + port() + "/0");
  expect_refused(result, *connection_, kKeys);
  EXPECT_TRUE(result.mentions("the same server, run_id:")) << result.describe();
}

TEST_F(SameServer, HostNameInAnotherCaseWithAnExplicitDatabase) {
  expect_refused(replicate("redis://LOCALHOST:" + port() + "/0", server_->uri()), *connection_,
                 kKeys);
}

TEST_F(SameServer, UnixSocketAndTcp) {
  const ProcessResult result = replicate("redis-socket://" + socket().string(), server_->uri());
  expect_refused(result, *connection_, kKeys);
  EXPECT_TRUE(result.mentions("the same server, run_id:")) << result.describe();
}

TEST_F(SameServer, SameDatabaseNamedByNumber) {
  redis::Connection db2 = server_->connect(2);
  write_strings(db2, 10, 8);
  expect_refused(replicate(server_->uri(2), "redis://localhost:" + port() + "/2"), db2, 10);
}

TEST_F(SameServer, AnotherDatabaseOfTheSameServerIsACopy) {
  const ProcessResult result = replicate(server_->uri(0), "redis://localhost:" + port() + "/1");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kKeys));
  redis::Connection db1 = server_->connect(1);
  EXPECT_TRUE(compare_databases(*connection_, db1).empty());
}

TEST_F(SameServer, ADryRunWritesNothingAndIsAllowed) {
  const ProcessResult result = replicate(server_->uri(), server_->uri(), {"--dry-run"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
}

// With INFO and CLUSTER refused the servers cannot tell who they are: riot
// compares resolved addresses, and says so.
TEST_F(SameServer, IdentityRefusedFallsBackToAddresses) {
  connection_->checked(
      {"ACL", "SETUSER", "blind", "on", ">pw", "~*", "+@all", "-info", "-cluster"});
  const std::vector<std::string> as_blind{"--source-user", "blind", "--source-pass", "pw",
                                          "--target-user", "blind", "--target-pass", "pw"};
  const ProcessResult same =
      replicate("redis://127.0.0.1:" + port(), "redis://localhost:" + port(), as_blind);
  expect_refused(same, *connection_, kKeys);
  EXPECT_TRUE(same.mentions("was checked by address only")) << same.describe();
  EXPECT_TRUE(same.mentions("the same address, 127.0.0.1:" + port())) << same.describe();

  RedisServer other;
  other.connect().checked(
      {"ACL", "SETUSER", "blind", "on", ">pw", "~*", "+@all", "-info", "-cluster"});
  const ProcessResult different = replicate(
      "redis://127.0.0.1:" + port(), "redis://localhost:" + std::to_string(other.port()), as_blind);
  EXPECT_EQ(different.exit_code, 0) << different.describe();
  EXPECT_TRUE(different.mentions("was checked by address only")) << different.describe();
  EXPECT_EQ(different.summary_count("keys written"), static_cast<long long>(kKeys));
}

TEST(DifferentServers, AreCopiedBetween) {
  RedisServer source_server;
  RedisServer target_server;
  redis::Connection source = source_server.connect();
  write_strings(source, 20, 8);
  const ProcessResult result = replicate(source_server.uri(), target_server.uri());
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_FALSE(result.mentions("checked by address only")) << result.describe();
}

// A cluster named by one node on one side and another node on the other is
// the same database: any node shared between the two sides' views.
TEST(SameCluster, ANodeAndAnotherNodeOfTheSameCluster) {
  RedisCluster cluster;
  ClusterKeyspace keyspace(cluster);
  write_strings(keyspace, 50, 8);
  const std::string other_node = "redis://localhost:" + std::to_string(cluster.node(1).port());
  const ProcessResult result = replicate(cluster.node(0).uri(), other_node);
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("is the database read from")) << result.describe();
  EXPECT_TRUE(result.mentions("the same server, node:")) << result.describe();
  EXPECT_EQ(result.summary_count("keys read"), 0) << result.describe();

  RedisServer elsewhere;
  const ProcessResult into_other = replicate(cluster.uri(), elsewhere.uri());
  EXPECT_EQ(into_other.exit_code, 0) << into_other.describe();
}

}  // namespace
}  // namespace riot::test
