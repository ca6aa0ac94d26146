// Values of tens of megabytes, copied end to end by riot and compared byte
// for byte by the tests' own code: they take the paths that hold a value
// once (the body of a DUMP reply received straight into its string, the
// RESTORE payload written from the record with writev or one SSL_write per
// piece, rounds of one key), over TCP, TLS and to a cluster. Memory itself is
// measured by benchmarks/big_values.sh, not asserted here.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"
#include "support/tls_certificates.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kBigValues = 6;
constexpr std::size_t kBigValueSize = 20 << 20;

// Big binary values with small ones among them, so that rounds grow and
// shrink as the sizes change.
void write_big_and_small(Keyspace& keyspace) {
  write_strings(keyspace, kBigValues, kBigValueSize, "big:");
  write_strings(keyspace, 300, 100, "small:");
  write_strings(keyspace, 4, 300 << 10, "medium:");
}

ProcessResult riot_replicate(const std::string& source, const std::string& target,
                             std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"replicate", source, target, "--progress", "none"};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessOptions options;
  options.timeout = 300s;
  return run_riot(args, options);
}

::testing::AssertionResult same_data(Keyspace& source, Keyspace& target) {
  const std::vector<std::string> differences = compare_databases(source, target);
  if (differences.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << summarize(differences);
}

constexpr long long kKeys = kBigValues + 300 + 4;

// Fills `source_server` with big and small values, copies it into
// `target_server` with riot (plus `options`) and checks every byte landed.
void copy_and_compare(RedisServer& source_server, RedisServer& target_server,
                      const std::vector<std::string>& options = {}) {
  redis::Connection source_connection = source_server.connect();
  StandaloneKeyspace source(source_connection);
  write_big_and_small(source);

  const ProcessResult result = riot_replicate(source_server.uri(), target_server.uri(), options);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), kKeys) << result.describe();
  redis::Connection target_connection = target_server.connect();
  StandaloneKeyspace target(target_connection);
  EXPECT_TRUE(same_data(source, target));
}

TEST(BigValues, CopiedExactlyOverTcp) {
  RedisServer source_server;
  RedisServer target_server;
  copy_and_compare(source_server, target_server);
}

// Batches of 16 keys of which several are big: rounds must still split them
// (the first round used to read all 16 at once), and the sink's batches of
// one big record each still write every key.
TEST(BigValues, CopiedExactlyWithSmallBatchesAndOneThread) {
  RedisServer source_server;
  RedisServer target_server;
  copy_and_compare(source_server, target_server,
                   {"--read-batch", "16", "--read-threads", "1", "--write-threads", "1"});
}

TEST(BigValues, CopiedExactlyOverTlsBothWays) {
  const TlsCertificates pki;
  RedisServerOptions tls;
  tls.tls = pki.server_tls();
  RedisServer source_server(tls);
  RedisServer target_server(tls);
  const std::string ca = pki.ca_cert().string();
  copy_and_compare(source_server, target_server, {"--source-cacert", ca, "--target-cacert", ca});
}

// On a cluster the batch is regrouped per node: the regrouped commands keep
// referring to the records' payloads rather than copying them.
TEST(BigValues, CopiedExactlyToAndFromACluster) {
  RedisServer source_server;
  RedisCluster cluster;
  redis::Connection source_connection = source_server.connect();
  StandaloneKeyspace source(source_connection);
  write_big_and_small(source);

  const ProcessResult to_cluster = riot_replicate(source_server.uri(), cluster.uri());
  ASSERT_EQ(to_cluster.exit_code, 0) << to_cluster.describe();
  ClusterKeyspace cluster_keys(cluster);
  EXPECT_TRUE(same_data(source, cluster_keys));

  RedisServer back_server;
  const ProcessResult from_cluster = riot_replicate(cluster.uri(), back_server.uri());
  ASSERT_EQ(from_cluster.exit_code, 0) << from_cluster.describe();
  redis::Connection back_connection = back_server.connect();
  StandaloneKeyspace back(back_connection);
  EXPECT_TRUE(same_data(source, back));
}

}  // namespace
}  // namespace riot::test
