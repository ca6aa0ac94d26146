// Live replication end to end with Redis Cluster: a cluster source whose
// masters fail over while riot follows it (riot subscribes on every master
// and must follow the new ones), and a standalone source replicated into a
// cluster. The tests' own writer changes the source during the scan and
// after it; once riot is idle both sides hold the same data.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "live_test_fixture.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/live_writer.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

constexpr std::size_t kWriterCommands = 12000;
constexpr double kWriterRate = 4000;  // commands/s: the writer runs for about 3 s

const std::string kNotifications = "notify-keyspace-events KEA";

DatasetOptions scanned_dataset() {
  DatasetOptions options;
  options.large_values = false;
  options.small_strings = 2000;
  return options;
}

LiveWriterOptions paced_writer() {
  LiveWriterOptions options;
  options.rate = kWriterRate;
  options.max_commands = kWriterCommands;
  return options;
}

// riot subscribes on every master before it scans.
::testing::AssertionResult every_master_subscribed(RedisCluster& cluster) {
  for (const std::size_t master : cluster.master_indices()) {
    auto connection = cluster.connect(master);
    if (!wait_for_subscriptions(connection))
      return ::testing::AssertionFailure() << "no subscription on node " << master;
  }
  return ::testing::AssertionSuccess();
}

// Two failovers while riot follows: a manual one (CLUSTER FAILOVER: the old
// master turns replica, nothing is lost) and a master killed, whose replica
// takes over after the node timeout: riot's subscription to it is cut, the
// writes it acknowledged but had not replicated are gone from the source, and
// riot must subscribe to the new master and reconcile.
TEST(LiveCluster, ClusterToClusterFollowsMasterFailovers) {
  RedisClusterOptions source_options;
  source_options.replicas_per_master = 1;
  source_options.config.push_back(kNotifications);
  RedisCluster source(source_options);
  RedisCluster target;
  ClusterKeyspace source_keyspace(source);
  write_every_type_dataset(source_keyspace, scanned_dataset());

  auto riot = start_live(live_args(source.uri(), target.uri()));
  ASSERT_TRUE(every_master_subscribed(source));
  LiveWriter writer(source, paced_writer());
  writer.start();
  ASSERT_TRUE(writer.wait_for_commands(kWriterCommands / 4)) << writer.stop().describe();
  const std::vector<std::size_t> masters = source.master_indices();
  source.failover(masters.at(0));  // returns once the replica took over
  ASSERT_TRUE(writer.wait_for_commands(kWriterCommands / 2)) << writer.stop().describe();
  source.kill_node(masters.at(1));
  source.wait_until_healthy();
  const LiveWriterReport report = writer.wait();
  const ProcessResult result = riot->wait();

  EXPECT_TRUE(report.failure.empty()) << report.describe();
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_GE(result.summary_count(kRecoveries), 1) << "the killed master's subscription was lost\n"
                                                  << result.describe();
  ClusterKeyspace target_keyspace(target);
  EXPECT_TRUE(same_data(source_keyspace, target_keyspace))
      << "writer: " << report.describe() << "\n"
      << result.describe();
}

TEST(LiveCluster, StandaloneToClusterFollowsEveryChange) {
  RedisServerOptions source_options;
  source_options.config.push_back(kNotifications);
  RedisServer source(source_options);
  RedisCluster target;
  auto connection = source.connect();
  write_every_type_dataset(connection, scanned_dataset());

  auto riot = start_live(live_args(source.uri(), target.uri()));
  LiveWriter writer(source, paced_writer());
  const LiveWriterReport report = writer.run();
  const ProcessResult result = riot->wait();

  EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
  EXPECT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_GT(result.summary_count(kEventsReceived), 0) << result.describe();
  StandaloneKeyspace source_keyspace(connection);
  ClusterKeyspace target_keyspace(target);
  EXPECT_TRUE(same_data(source_keyspace, target_keyspace))
      << "writer: " << report.describe() << "\n"
      << result.describe();
}

}  // namespace
}  // namespace riot::test
