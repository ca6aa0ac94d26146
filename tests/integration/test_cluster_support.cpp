// The cluster test support itself: RedisCluster (start-up, failover, a killed
// master, resharding), the tests' own cluster client (test_key_slot,
// ClusterKeyspace) and the dataset writers and comparison on a cluster. The
// cluster replication tests trust these, so they are checked against the
// servers' own answers (CLUSTER KEYSLOT, CLUSTER SLOTS, ROLE).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "riot/record.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"
#include "support/tls_certificates.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

// Two copies of a dataset written one after the other since `since`: their
// TTLs differ by up to the time that took, on top of the usual tolerance.
std::chrono::milliseconds ttl_tolerance_after_writes(Clock::time_point since) {
  return std::chrono::seconds(5) + std::chrono::milliseconds(elapsed_ms(since));
}

void report(const std::string& what, std::int64_t ms) {
  std::cout << "[ timing   ] " << what << ": " << ms << " ms\n";
  ::testing::Test::RecordProperty(what, static_cast<int>(ms));
}

bool contains(const std::vector<std::size_t>& indices, std::size_t index) {
  return std::find(indices.begin(), indices.end(), index) != indices.end();
}

bool contains(const std::vector<std::string>& texts, const std::string& text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

// A hash tag whose keys live in `slot`.
std::string tag_for_slot(int slot) {
  for (int n = 0;; ++n) {
    std::string tag = "t" + std::to_string(n);
    if (test_key_slot(tag) == slot) return tag;
  }
}

// Waits until every replica acknowledged every write its master took, so that
// a failover or a killed master loses nothing.
void wait_for_replication(RedisCluster& cluster) {
  for (const std::size_t master : cluster.master_indices()) {
    auto connection = cluster.connect(master);
    const auto replicas = connection.checked({"WAIT", "1", "10000"});
    ASSERT_EQ(replicas.integer, 1) << "the replica of node " << master << " did not catch up";
  }
}

// A standalone server to write the same data into, for comparisons.
struct StandaloneCopy {
  RedisServer server;
  redis::Connection connection = server.connect();
  StandaloneKeyspace keyspace{connection};
};

// One cluster for the tests that do not change its topology; each test
// starts from an empty cluster.
class ClusterSupport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto started = Clock::now();
    cluster_ = std::make_unique<RedisCluster>();
    report("3-master cluster start-up", elapsed_ms(started));
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(cluster_) << "the cluster did not start";
    cluster_->flushall();
  }

  static RedisCluster& cluster() { return *cluster_; }

  static inline std::unique_ptr<RedisCluster> cluster_;
};

TEST_F(ClusterSupport, StartsThreeMastersCoveringEverySlot) {
  ASSERT_EQ(cluster().node_count(), 3u);
  const auto masters = cluster().master_indices();
  ASSERT_EQ(masters.size(), 3u);
  EXPECT_TRUE(cluster().replica_indices().empty());
  std::vector<int> owner(kClusterSlots, -1);
  for (const std::size_t master : masters) {
    const auto slots = cluster().slots_of(master);
    EXPECT_FALSE(slots.empty()) << "node " << master << " serves no slot";
    for (const int slot : slots) {
      EXPECT_EQ(owner.at(static_cast<std::size_t>(slot)), -1) << "slot " << slot << " twice";
      owner[static_cast<std::size_t>(slot)] = static_cast<int>(master);
    }
  }
  EXPECT_EQ(std::count(owner.begin(), owner.end(), -1), 0) << "slots without a master";
  for (std::size_t i = 0; i < cluster().node_count(); ++i) {
    auto connection = cluster().connect(i);
    const std::string info = connection.checked({"CLUSTER", "INFO"}).str;
    EXPECT_NE(info.find("cluster_state:ok"), std::string::npos) << info;
    EXPECT_NE(info.find("cluster_known_nodes:3"), std::string::npos) << info;
    EXPECT_EQ(cluster().node_id(i), connection.checked({"CLUSTER", "MYID"}).str);
  }
  EXPECT_TRUE(cluster().uri().starts_with("redis://127.0.0.1:")) << cluster().uri();
}

TEST_F(ClusterSupport, KeySlotMatchesClusterKeyslot) {
  EXPECT_EQ(test_key_slot("123456789"), 0x31C3 % kClusterSlots);  // the CRC16 check value
  EXPECT_EQ(test_key_slot("foo"), 12182);
  EXPECT_EQ(test_key_slot("{user1000}.following"), test_key_slot("user1000"));
  EXPECT_EQ(test_key_slot("{user1000}.following"), test_key_slot("{user1000}.followers"));
  EXPECT_NE(test_key_slot("foo{}{bar}"), test_key_slot("bar"));

  std::vector<std::string> keys{"",
                                "foo",
                                "{user1000}.following",
                                "{user1000}.followers",
                                "foo{}{bar}",
                                "foo{{bar}}zap",
                                "foo{bar}{zap}",
                                "{}x",
                                "{}",
                                "{",
                                "}",
                                "}{",
                                "a{b",
                                "a}b{c}",
                                std::string("bin\0key\r\n\xff", 10),
                                std::string("{\0}", 3),
                                std::string("\xff\xfe", 2)};
  std::mt19937_64 rng(7);
  const std::string alphabet = std::string("{}ab\0\r\n\xff", 8);
  for (int i = 0; i < 300; ++i) {
    std::string key(rng() % 24, '\0');
    for (auto& byte : key)
      byte = rng() % 2 == 0 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    keys.push_back(std::move(key));
  }
  auto connection = cluster().connect(0);
  for (const auto& key : keys)
    EXPECT_EQ(test_key_slot(key), connection.checked({"CLUSTER", "KEYSLOT", key}).integer)
        << printable_key(key);
}

TEST_F(ClusterSupport, EveryTypeDatasetMatchesTheSameDatasetOnAStandaloneServer) {
  const DatasetOptions options{.large_values = false, .small_strings = 2000};
  ClusterKeyspace cluster_keys(cluster());
  auto started = Clock::now();
  const std::size_t written = write_every_type_dataset(cluster_keys, options);
  report("every-type dataset into the cluster", elapsed_ms(started));
  const auto standalone_started = Clock::now();
  StandaloneCopy standalone;
  EXPECT_EQ(written, write_every_type_dataset(standalone.connection, options));
  EXPECT_GT(written, 2000u);
  // The two copies' TTLs started that far apart (long under a sanitizer).
  const auto ttl_tolerance = ttl_tolerance_after_writes(started);

  // Spread over every master, each key on the master of its slot.
  for (const std::size_t master : cluster().master_indices())
    EXPECT_GT(cluster().connect(master).checked({"DBSIZE"}).integer, 0) << "node " << master;
  const std::string binary_key("bin\0key\r\n\xff", 10);
  const std::string slot = std::to_string(test_key_slot(binary_key));
  EXPECT_EQ(cluster_keys.connection_for_key(binary_key)
                .checked({"CLUSTER", "COUNTKEYSINSLOT", slot})
                .integer,
            1);

  started = Clock::now();
  auto differences = compare_databases(standalone.keyspace, cluster_keys, ttl_tolerance);
  report("comparing the dataset (standalone to cluster)", elapsed_ms(started));
  EXPECT_TRUE(differences.empty()) << summarize(differences);
  differences = compare_databases(cluster_keys, standalone.keyspace, ttl_tolerance);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
  EXPECT_EQ(cluster_keys.moved_count(), 0u);

  // A key deleted on one side is named, whichever side it is.
  EXPECT_EQ(cluster_keys.checked({"DEL", binary_key}).integer, 1);
  differences = compare_databases(standalone.keyspace, cluster_keys);
  EXPECT_EQ(differences,
            std::vector<std::string>{"missing on target: " + printable_key(binary_key)});
  differences = compare_databases(cluster_keys, standalone.keyspace);
  EXPECT_EQ(differences, std::vector<std::string>{"extra on target: " + printable_key(binary_key)});

  // So are a changed value, a lost TTL and a changed type.
  cluster_keys.checked({"HSET", "hash:small", "a", "changed"});
  cluster_keys.checked({"PERSIST", "ttl:string"});
  cluster_keys.checked({"DEL", "list:small"});
  cluster_keys.checked({"SET", "list:small", "now a string"});
  differences = compare_databases(standalone.keyspace, cluster_keys, ttl_tolerance);
  EXPECT_EQ(differences.size(), 4u) << summarize(differences);
  EXPECT_TRUE(contains(differences, "value of hash:small differs")) << summarize(differences);
  EXPECT_TRUE(contains(differences, "type of list:small: list != string"))
      << summarize(differences);
  EXPECT_TRUE(std::any_of(differences.begin(), differences.end(), [](const std::string& d) {
    return d.starts_with("ttl of ttl:string: ");
  })) << summarize(differences);

  // The Connection overload still compares standalone servers.
  StandaloneCopy other;
  write_every_type_dataset(other.connection, options);
  differences = compare_databases(standalone.connection, other.connection,
                                  ttl_tolerance_after_writes(standalone_started));
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(ClusterSupport, LargeValuesDatasetMatchesTheSameDatasetOnAStandaloneServer) {
  const DatasetOptions options{.large_values = true, .small_strings = 100};
  ClusterKeyspace cluster_keys(cluster());
  const auto started = Clock::now();
  const std::size_t written = write_every_type_dataset(cluster_keys, options);
  report("large-values dataset into the cluster", elapsed_ms(started));
  StandaloneCopy standalone;
  EXPECT_EQ(written, write_every_type_dataset(standalone.connection, options));
  EXPECT_EQ(cluster_keys.checked({"STRLEN", "string:10mb"}).integer, 10 * 1024 * 1024);
  EXPECT_EQ(cluster_keys.checked({"HLEN", "hash:big"}).integer, 100000);
  const auto differences =
      compare_databases(standalone.keyspace, cluster_keys, ttl_tolerance_after_writes(started));
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(ClusterSupport, WriteStringsPipelinesEveryKeyToTheMasterOfItsSlot) {
  // Seeded from one node only: the others come from CLUSTER SLOTS.
  ClusterKeyspace cluster_keys(cluster().client_options(1));
  const auto started = Clock::now();
  write_strings(cluster_keys, 5000, 32, "string:");
  report("5000 strings into the cluster", elapsed_ms(started));
  EXPECT_EQ(cluster_keys.key_count(), 5000u);
  EXPECT_EQ(cluster_keys.scan_all_keys().size(), 5000u);
  EXPECT_EQ(cluster_keys.moved_count(), 0u);

  // Each key is where the slot map says, found without redirection.
  std::vector<std::pair<std::size_t, std::vector<int>>> owners;
  for (const std::size_t master : cluster().master_indices())
    owners.emplace_back(master, cluster().slots_of(master));
  std::vector<redis::Connection> connections;
  for (std::size_t i = 0; i < cluster().node_count(); ++i)
    connections.push_back(cluster().connect(i));
  for (int i = 0; i < 5000; i += 37) {
    const std::string key = "string:" + std::to_string(i);
    const int slot = test_key_slot(key);
    const auto owner = std::find_if(owners.begin(), owners.end(), [&](const auto& entry) {
      return std::binary_search(entry.second.begin(), entry.second.end(), slot);
    });
    ASSERT_NE(owner, owners.end()) << "slot " << slot;
    EXPECT_EQ(connections[owner->first].checked({"EXISTS", key}).integer, 1) << key;
    EXPECT_EQ(cluster_keys.checked({"STRLEN", key}).integer, 32) << key;
  }
}

// Tests that change the topology, each with its own cluster.
TEST(ClusterSupportTopology, FailoverSwapsRolesAndKeepsTheData) {
  auto started = Clock::now();
  RedisCluster cluster({.replicas_per_master = 1});
  report("3 masters + 3 replicas start-up", elapsed_ms(started));
  ASSERT_EQ(cluster.node_count(), 6u);
  const auto masters = cluster.master_indices();
  ASSERT_EQ(masters.size(), 3u);
  ASSERT_EQ(cluster.replica_indices().size(), 3u);

  ClusterKeyspace keys(cluster);
  write_strings(keys, 1000, 16);
  StandaloneCopy standalone;
  write_strings(standalone.connection, 1000, 16);
  ASSERT_NO_FATAL_FAILURE(wait_for_replication(cluster));

  const std::size_t old_master = masters[0];
  const auto replica = cluster.replica_of(old_master);
  ASSERT_TRUE(replica.has_value());
  const auto old_slots = cluster.slots_of(old_master);
  started = Clock::now();
  cluster.failover(old_master);
  report("manual failover", elapsed_ms(started));

  const auto after = cluster.master_indices();
  EXPECT_EQ(after.size(), 3u);
  EXPECT_TRUE(contains(after, *replica));
  EXPECT_FALSE(contains(after, old_master));
  EXPECT_EQ(cluster.replica_of(*replica), old_master);
  EXPECT_EQ(cluster.slots_of(*replica), old_slots);

  // The keyspace's map is stale: its reads follow MOVED.
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(keys.checked({"STRLEN", "key:" + std::to_string(i)}).integer, 16) << i;
  EXPECT_GT(keys.moved_count(), 0u);
  const auto differences = compare_databases(standalone.keyspace, keys);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST(ClusterSupportTopology, KilledMasterIsReplacedByItsReplica) {
  RedisCluster cluster({.replicas_per_master = 1});
  ClusterKeyspace keys(cluster);
  write_strings(keys, 1000, 16);
  StandaloneCopy standalone;
  write_strings(standalone.connection, 1000, 16);
  ASSERT_NO_FATAL_FAILURE(wait_for_replication(cluster));

  const std::size_t victim = cluster.master_indices().at(1);
  const auto replica = cluster.replica_of(victim);
  ASSERT_TRUE(replica.has_value());
  const auto started = Clock::now();
  cluster.kill_node(victim);
  EXPECT_FALSE(cluster.is_running(victim));
  cluster.wait_until_healthy();
  report("promotion after a killed master", elapsed_ms(started));
  const auto masters = cluster.master_indices();
  EXPECT_EQ(masters.size(), 3u);
  EXPECT_TRUE(contains(masters, *replica));
  EXPECT_FALSE(contains(masters, victim));
  EXPECT_FALSE(cluster.replica_of(*replica).has_value());
  EXPECT_TRUE(cluster.uri().starts_with("redis://"));

  auto differences = compare_databases(standalone.keyspace, keys);
  EXPECT_TRUE(differences.empty()) << summarize(differences);

  // Restarted, the old master rejoins as its successor's replica.
  cluster.restart_node(victim);
  cluster.wait_until_healthy();
  EXPECT_TRUE(contains(cluster.replica_indices(), victim));
  EXPECT_EQ(cluster.replica_of(*replica), victim);
}

TEST(ClusterSupportTopology, MoveSlotsKeepsEveryKeyReadableAlsoUnderAConcurrentWriter) {
  RedisCluster cluster;
  ClusterKeyspace keys(cluster);
  write_strings(keys, 2000, 16);
  StandaloneCopy standalone;
  write_strings(standalone.connection, 2000, 16);

  const auto masters = cluster.master_indices();
  const std::size_t from = masters[0];
  const std::size_t to = masters[1];
  const auto from_before = cluster.slots_of(from);
  const auto to_before = cluster.slots_of(to);
  const std::size_t keys_before =
      static_cast<std::size_t>(cluster.connect(from).checked({"DBSIZE"}).integer);
  auto started = Clock::now();
  cluster.move_slots(from, to, 100);
  report("moving 100 slots", elapsed_ms(started));
  const auto from_after = cluster.slots_of(from);
  const auto to_after = cluster.slots_of(to);
  EXPECT_EQ(from_after.size(), from_before.size() - 100);
  EXPECT_EQ(to_after.size(), to_before.size() + 100);
  for (std::size_t i = 0; i < 100; ++i)
    EXPECT_TRUE(std::binary_search(to_after.begin(), to_after.end(), from_before[i]))
        << "slot " << from_before[i];
  EXPECT_LT(cluster.connect(from).checked({"DBSIZE"}).integer, static_cast<long long>(keys_before));

  // The keyspace still routes by the old map: its reads follow MOVED.
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(keys.checked({"STRLEN", "key:" + std::to_string(i)}).integer, 16) << i;
  EXPECT_GT(keys.moved_count(), 0u);
  auto differences = compare_databases(standalone.keyspace, keys);
  EXPECT_TRUE(differences.empty()) << summarize(differences);

  // Slots move back while a writer keeps writing into exactly those slots:
  // it meets MOVED (its map goes stale) and ASK (a slot half-moved).
  const auto moving_slots = cluster.slots_of(to);
  std::vector<std::string> tags;  // a hash tag for each of the 40 slots
  for (std::size_t i = 0; i < 40; ++i) tags.push_back(tag_for_slot(moving_slots[i]));
  std::exception_ptr mover_error;
  std::atomic<bool> moving{true};
  std::thread mover([&] {
    try {
      cluster.move_slots(to, from, 40, 20ms);
    } catch (...) {
      mover_error = std::current_exception();
    }
    moving = false;
  });
  ClusterKeyspace writer(cluster);
  int batches = 0;
  started = Clock::now();
  try {
    while (moving || batches < 3) {
      KeyedCommands commands;
      for (const auto& tag : tags)
        for (int i = 0; i < 2; ++i)
          commands.add({"SET", "{" + tag + "}:" + std::to_string(batches) + ":" + std::to_string(i),
                        std::to_string(batches)});
      for (const auto& reply : writer.pipeline(commands))
        ASSERT_FALSE(reply.is_error()) << reply.str;
      standalone.keyspace.pipeline(commands);
      ++batches;
      std::this_thread::sleep_for(2ms);  // leaves the mover some of the machine
    }
  } catch (...) {
    mover.join();
    throw;
  }
  mover.join();
  if (mover_error) std::rethrow_exception(mover_error);
  report("moving 40 slots under a writer", elapsed_ms(started));
  std::cout << "[ writer   ] " << batches << " batches, " << writer.moved_count() << " MOVED, "
            << writer.ask_count() << " ASK followed\n";
  EXPECT_GT(writer.moved_count() + writer.ask_count(), 0u);
  EXPECT_EQ(cluster.slots_of(from).size(), from_after.size() + 40);
  differences = compare_databases(standalone.keyspace, keys);
  EXPECT_TRUE(differences.empty()) << summarize(differences);

  // A master without a replica does not come back: the wait says so.
  cluster.kill_node(from);
  try {
    cluster.wait_until_healthy(2s);
    ADD_FAILURE() << "a cluster that lost a master without replica was found healthy";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("did not become healthy within"), std::string::npos) << message;
    EXPECT_NE(message.find("last problem: node "), std::string::npos) << message;
  }
}

TEST(ClusterSupportTopology, TlsClusterWithReplicasAndClientCertificates) {
  TlsCertificates pki;
  auto started = Clock::now();
  RedisCluster cluster({.replicas_per_master = 1, .tls = pki.server_tls(/*auth_clients=*/true)});
  report("TLS cluster (3 masters + 3 replicas) start-up", elapsed_ms(started));
  EXPECT_TRUE(cluster.uri().starts_with("rediss://127.0.0.1:")) << cluster.uri();
  EXPECT_EQ(cluster.replica_indices().size(), 3u);

  ClusterKeyspace keys(cluster);
  const DatasetOptions options{.large_values = false, .small_strings = 500};
  const std::size_t written = write_every_type_dataset(keys, options);
  StandaloneCopy standalone;
  EXPECT_EQ(written, write_every_type_dataset(standalone.connection, options));
  const auto differences = compare_databases(standalone.keyspace, keys);
  EXPECT_TRUE(differences.empty()) << summarize(differences);

  // Replication runs over TLS too.
  ASSERT_NO_FATAL_FAILURE(wait_for_replication(cluster));
  started = Clock::now();
  cluster.failover(cluster.master_indices().at(0));
  report("TLS manual failover", elapsed_ms(started));
}

}  // namespace
}  // namespace riot::test
