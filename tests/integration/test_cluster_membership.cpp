// A cluster member is never taken for a single server in silence: one node
// of a cluster holds the keys of its slots only, so copying it as a single
// server would copy part of the data and report success.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
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

constexpr int kExitFatal = 3;

// The document `riot replicate SOURCE TARGET --no-verify` runs, with `edit` applied to
// the configuration of the sink, run with `riot run`.
template <typename Edit>
ProcessResult run_with_sink_config(const std::string& source, const std::string& target,
                                   Edit edit) {
  const ProcessResult printed = run_riot(
      {"replicate", source, target, "--no-verify", "--print-pipeline", "--progress", "none"});
  EXPECT_EQ(printed.exit_code, 0) << printed.describe();
  nlohmann::json document = nlohmann::json::parse(printed.out);
  edit(document["stages"]["sink"]["config"]);
  const std::filesystem::path file = make_temp_directory("membership") / "pipeline.json";
  std::ofstream(file) << document.dump(2);
  return run_riot({"-i", "run", file.string(), "--progress", "none"});
}

class ClusterMembership : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = std::make_unique<RedisCluster>(); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override { shared_->flushall(); }
  static RedisCluster& cluster() { return *shared_; }

  void create_user_on_every_node(const std::vector<std::string_view>& rules) {
    for (std::size_t i = 0; i < cluster().node_count(); ++i) {
      std::vector<std::string_view> args{"ACL", "SETUSER", "app", "reset", "on", ">pw"};
      args.insert(args.end(), rules.begin(), rules.end());
      const redis::Reply reply = cluster().connect(i).command(args);
      ASSERT_FALSE(reply.is_error()) << reply.str;
    }
  }

 private:
  static inline std::unique_ptr<RedisCluster> shared_;
};

// "cluster": false on a server that says it is a cluster member is refused
// at the start, naming the setting to use.
TEST_F(ClusterMembership, SingleServerModeOnAClusterMemberIsRefused) {
  RedisServer source_server;
  redis::Connection source = source_server.connect();
  write_strings(source, 100, 8);
  const ProcessResult result =
      run_with_sink_config(source_server.uri(), cluster().uri(),
                           [](nlohmann::json& config) { config["cluster"] = false; });
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(
      result.mentions("\"cluster\": false was configured, but the server is a member of a "
                      "Redis Cluster (detected from INFO cluster)"))
      << result.describe();
  EXPECT_TRUE(result.mentions("use --target-cluster / \"cluster\": true")) << result.describe();
}

// A single-server client that meets MOVED stops the run with one clear
// error; no key is counted as failed for it. Here nothing could tell before:
// the user may run neither INFO nor CLUSTER, and its key pattern keeps even
// the probe's keys from it.
TEST_F(ClusterMembership, MovedToASingleServerClientStopsTheRun) {
  create_user_on_every_node({"~key:*", "+@all", "-info", "-cluster"});
  RedisServer source_server;
  redis::Connection source = source_server.connect();
  write_strings(source, 500, 8, "key:");
  const ProcessResult result =
      run_with_sink_config(source_server.uri(), cluster().uri(), [](nlohmann::json& config) {
        config["cluster"] = false;
        config["user"] = "app";
        config["password"] = "pw";
      });
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(
      result.mentions(": it is a member of a Redis Cluster, not a single server (cluster "
                      "mode off, as configured); use --target-cluster"))
      << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
}

// Detection with nothing else allowed: the probe meets MOVED on a node that
// serves a third of the slots.
TEST_F(ClusterMembership, ProbeFindsAClusterTarget) {
  create_user_on_every_node({"~*", "+@all", "-info", "-cluster"});
  RedisServer source_server;
  redis::Connection source = source_server.connect();
  write_strings(source, 10, 8);
  const ProcessResult result =
      run_with_sink_config(source_server.uri(), cluster().uri(), [](nlohmann::json& config) {
        config["user"] = "app";
        config["password"] = "pw";
      });
  EXPECT_TRUE(
      result.mentions("probed with RESTORE on 16384 slots (INFO, CLUSTER INFO, CLUSTER "
                      "SLOTS, CLUSTER MYID refused): MOVED for "))
      << result.describe();
  EXPECT_TRUE(result.mentions("grant the user +cluster|slots")) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 0) << result.describe();
}

}  // namespace
}  // namespace riot::test
