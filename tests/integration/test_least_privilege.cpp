// riot with the least a managed service or a careful operator grants: ACL
// users that may run exactly what docs/recipes.md lists, servers with INFO
// and CONFIG renamed away, cluster members that refuse INFO or CLUSTER.
// Every command that only serves progress or diagnostics may be refused; the
// copy must still be whole, and the log must say what was lost and how the
// kind of each server was found out.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

constexpr int kExitFatal = 3;
constexpr const char* kPassword = "s3cret-pw";

// The minimum on each side, as docs/recipes.md lists it ("resetchannels
// -@all" first: nothing but what follows).
const std::vector<std::string> kSourceCommands{"+scan", "+dump", "+pttl"};
const std::vector<std::string> kTargetCommands{"+restore"};
const std::vector<std::string> kClusterSourceCommands{"+scan", "+dump", "+pttl", "+cluster|slots"};
const std::vector<std::string> kClusterTargetCommands{"+restore", "+cluster|slots", "+asking"};

void create_user(redis::Connection& admin, const std::string& name,
                 const std::vector<std::string>& rules) {
  std::vector<std::string> args{"ACL", "SETUSER", name, "reset", "on", std::string(">") + kPassword,
                                "~*"};
  args.insert(args.end(), rules.begin(), rules.end());
  std::vector<std::string_view> views(args.begin(), args.end());
  const redis::Reply reply = admin.command(std::span<const std::string_view>(views));
  ASSERT_FALSE(reply.is_error()) << reply.str;
}

void create_user_on_every_node(RedisCluster& cluster, const std::string& name,
                               const std::vector<std::string>& rules) {
  for (std::size_t i = 0; i < cluster.node_count(); ++i) {
    redis::Connection admin = cluster.connect(i);
    create_user(admin, name, rules);
  }
}

// riot replicate as USERs, with -i: the tests read what riot says it lost.
// The copy alone: its verification reads more (docs/compare.md lists what).
ProcessResult replicate_as(const std::string& source, const std::string& source_user,
                           const std::string& target, const std::string& target_user) {
  std::vector<std::string> args{"-i",         "replicate", source,       target,
                                "--progress", "none",      "--no-verify"};
  for (const auto& [side, user] : {std::pair{"source", source_user}, {"target", target_user}}) {
    if (user.empty()) continue;
    args.insert(args.end(), {std::string("--") + side + "-user", user,
                             std::string("--") + side + "-pass", kPassword});
  }
  return run_riot(args);
}

::testing::AssertionResult same_data(Keyspace& source, Keyspace& target) {
  const std::vector<std::string> differences = compare_databases(source, target);
  if (differences.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << summarize(differences);
}

DatasetOptions small_dataset() {
  DatasetOptions options;
  options.large_values = false;
  options.small_strings = 2000;
  return options;
}

TEST(LeastPrivilege, StandaloneUsersWithOnlyScanDumpPttlAndRestore) {
  RedisServer source_server;
  RedisServer target_server;
  redis::Connection source_admin = source_server.connect();
  redis::Connection target_admin = target_server.connect();
  create_user(source_admin, "reader", kSourceCommands);
  create_user(target_admin, "writer", kTargetCommands);
  StandaloneKeyspace source(source_admin);
  const std::size_t keys = write_every_type_dataset(source, small_dataset());

  const ProcessResult result =
      replicate_as(source_server.uri(), "reader", target_server.uri(), "writer");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(keys));
  StandaloneKeyspace target(target_admin);
  EXPECT_TRUE(same_data(source, target));

  // What each refusal cost, and how each side's kind was found out.
  EXPECT_TRUE(result.mentions("DBSIZE refused")) << result.describe();
  EXPECT_TRUE(result.mentions("no estimate of the keys to copy")) << result.describe();
  EXPECT_TRUE(result.mentions("INFO keyspace refused")) << result.describe();
  EXPECT_TRUE(
      result.mentions("is a single server (probed with PTTL on 16384 slots (INFO, CLUSTER "
                      "INFO, CLUSTER SLOTS, CLUSTER MYID refused): no MOVED)"))
      << result.describe();
  EXPECT_TRUE(result.mentions("is a single server (probed with RESTORE on 16384 slots"))
      << result.describe();
  EXPECT_TRUE(result.mentions("was checked by address only")) << result.describe();
  EXPECT_TRUE(
      result.mentions("its connections are unnamed in CLIENT LIST (CLIENT SETNAME refused: "
                      "NOPERM"))
      << result.describe();
  EXPECT_EQ(result.summary_count("keys estimated"), -1) << "no estimate without DBSIZE";
  EXPECT_FALSE(result.mentions(kPassword)) << result.describe();
}

TEST(LeastPrivilege, ANonZeroDatabaseNeedsSelectToo) {
  RedisServer source_server;
  RedisServer target_server;
  redis::Connection source_admin = source_server.connect(3);
  redis::Connection target_admin = target_server.connect(4);
  std::vector<std::string> source_rules = kSourceCommands;
  source_rules.push_back("+select");
  std::vector<std::string> target_rules = kTargetCommands;
  target_rules.push_back("+select");
  create_user(source_admin, "reader", source_rules);
  create_user(target_admin, "writer", target_rules);
  write_strings(source_admin, 500, 20);

  const ProcessResult result =
      replicate_as(source_server.uri(3), "reader", target_server.uri(4), "writer");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 500);
  EXPECT_TRUE(compare_databases(source_admin, target_admin).empty());
}

TEST(LeastPrivilege, ServerWithInfoAndConfigRenamedAway) {
  std::vector<std::string> renamed = managed_service_config();
  renamed.push_back("rename-command INFO \"\"");
  RedisServer source_server(RedisServerOptions{.config = renamed});
  RedisServer target_server(RedisServerOptions{.config = renamed});
  redis::Connection source_connection = source_server.connect();
  write_strings(source_connection, 300, 10);

  const ProcessResult result = replicate_as(source_server.uri(), "", target_server.uri(), "");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 300);
  EXPECT_EQ(result.summary_count("keys estimated"), 300) << "DBSIZE is still there";
  EXPECT_TRUE(result.mentions("is a single server (detected from CLUSTER INFO (INFO refused))"))
      << result.describe();
  EXPECT_TRUE(result.mentions("INFO keyspace refused")) << result.describe();
  redis::Connection target_connection = target_server.connect();
  EXPECT_TRUE(compare_databases(source_connection, target_connection).empty());
}

// One 3-master cluster for the cluster tests, emptied before each; its
// users are created anew by each test.
class ClusterLeastPrivilege : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = std::make_unique<RedisCluster>(); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override { shared_->flushall(); }
  static RedisCluster& cluster() { return *shared_; }

  // Fills the cluster, copies it into a single server as `user`, checks that
  // every key of every shard arrived; returns riot's result.
  ProcessResult copy_whole_cluster_as(const std::string& user) {
    ClusterKeyspace source(cluster());
    const std::size_t keys = write_every_type_dataset(source, small_dataset());
    RedisServer target_server;
    const ProcessResult result = replicate_as(cluster().uri(), user, target_server.uri(), "");
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(keys))
        << result.describe();
    redis::Connection target_connection = target_server.connect();
    StandaloneKeyspace target(target_connection);
    EXPECT_TRUE(same_data(source, target));
    return result;
  }

 private:
  static inline std::unique_ptr<RedisCluster> shared_;
};

TEST_F(ClusterLeastPrivilege, SourceUserThatMayNotRunInfo) {
  create_user_on_every_node(cluster(), "noinfo", {"+@all", "-info"});
  const ProcessResult result = copy_whole_cluster_as("noinfo");
  EXPECT_TRUE(
      result.mentions("is a Redis Cluster of 3 masters and 0 replicas (detected from "
                      "CLUSTER INFO (INFO refused)): scanning 3 of its shards"))
      << result.describe();
}

TEST_F(ClusterLeastPrivilege, SourceUserThatMayRunNeitherInfoNorClusterInfo) {
  create_user_on_every_node(cluster(), "slotsonly",
                            {"+@all", "-info", "-cluster", "+cluster|slots"});
  const ProcessResult result = copy_whole_cluster_as("slotsonly");
  EXPECT_TRUE(result.mentions("(detected from CLUSTER SLOTS (INFO, CLUSTER INFO refused))"))
      << result.describe();
}

TEST_F(ClusterLeastPrivilege, UsersWithOnlyTheCommandsTheRecipeLists) {
  ClusterKeyspace source(cluster());
  const std::size_t keys = write_every_type_dataset(source, small_dataset());
  create_user_on_every_node(cluster(), "reader", kClusterSourceCommands);
  RedisCluster target_cluster;
  create_user_on_every_node(target_cluster, "writer", kClusterTargetCommands);

  const ProcessResult result =
      replicate_as(cluster().uri(), "reader", target_cluster.uri(), "writer");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(keys));
  ClusterKeyspace target(target_cluster);
  EXPECT_TRUE(same_data(source, target));
  EXPECT_TRUE(result.mentions("DBSIZE refused")) << result.describe();
}

// Without CLUSTER SLOTS nothing tells riot where the other shards are: it
// must find out that the server is a cluster member anyway (the probe meets
// MOVED) and stop, never copy the seed's shard alone.
TEST_F(ClusterLeastPrivilege, SourceUserThatMayRunNoClusterCommandIsRefusedNotCopiedInPart) {
  ClusterKeyspace source(cluster());
  write_strings(source, 600, 10);
  create_user_on_every_node(cluster(), "nocluster", {"+@all", "-info", "-cluster"});
  RedisServer target_server;

  const ProcessResult result = replicate_as(cluster().uri(), "nocluster", target_server.uri(), "");
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("CLUSTER SLOTS failed")) << result.describe();
  EXPECT_TRUE(result.mentions("grant the user +cluster|slots")) << result.describe();
  EXPECT_TRUE(result.mentions("the server is a cluster member (probed with PTTL on 16384 slots"))
      << result.describe();
  EXPECT_EQ(target_server.connect().checked({"DBSIZE"}).integer, 0)
      << "nothing is copied from a cluster whose shards are unknown";
}

}  // namespace
}  // namespace riot::test
