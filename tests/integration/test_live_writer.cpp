// The tests' own live-change writer (support/live_writer), checked against
// real servers before the live tests trust it: every command of its mix
// runs and is well formed, its short TTLs expire, MOVE reaches the other
// database, binary keys are written, a cluster takes every command (hash
// tags keep RENAME and COPY within a slot), and the same-key mode leaves
// values that only the writes applied in order give.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>

#include "riot/record.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/live_writer.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

// A field of INFO's text ("expired_keys"), as a number; -1 when absent.
long long info_number(redis::Connection& connection, const std::string& section,
                      const std::string& field) {
  const std::string info = connection.checked({"INFO", section}).str;
  const auto at = info.find(field + ":");
  return at == std::string::npos ? -1 : std::stoll(info.substr(at + field.size() + 1));
}

std::set<std::string> types_of(Keyspace& keyspace) {
  std::set<std::string> types;
  for (const auto& key : keyspace.scan_all_keys())
    types.insert(keyspace.checked({"TYPE", key}).str);
  return types;
}

TEST(LiveWriter, MixedModeSendsEveryCommandOfTheMix) {
  RedisServer server;
  LiveWriterOptions options;
  options.max_commands = 20000;
  options.keys_per_type = 32;
  LiveWriter writer(server, options);
  const LiveWriterReport report = writer.run();

  EXPECT_TRUE(report.failure.empty()) << report.describe();
  EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
  EXPECT_GE(report.commands, options.max_commands);
  for (const char* command :
       {"SET",     "APPEND", "INCR",       "INCRBY", "HSET",    "HDEL",   "LPUSH",   "RPOP",
        "LSET",    "LTRIM",  "SADD",       "SREM",   "ZADD",    "ZREM",   "ZINCRBY", "XADD",
        "XTRIM",   "XGROUP", "XREADGROUP", "XACK",   "DEL",     "UNLINK", "EXPIRE",  "PEXPIRE",
        "PERSIST", "RENAME", "COPY",       "DUMP",   "RESTORE", "MOVE"})
    EXPECT_GT(report.count(command), 0u) << command << " never sent: " << report.describe();

  auto connection = server.connect();
  StandaloneKeyspace keyspace(connection);
  const std::set<std::string> expected_types{"string", "hash", "list", "set", "zset", "stream"};
  std::set<std::string> types = types_of(keyspace);
  types.erase("none");  // a key whose short TTL ran out between SCAN and TYPE
  EXPECT_EQ(types, expected_types);
  const auto keys = keyspace.scan_all_keys();
  EXPECT_TRUE(std::any_of(keys.begin(), keys.end(), [](const std::string& key) {
    return key.find(std::string("\0\r\n\xff", 4)) != std::string::npos;
  })) << "no binary key written";
  auto other_db = server.connect(options.move_db);
  EXPECT_GT(other_db.checked({"DBSIZE"}).integer, 0)
      << "MOVE sent nothing to db " << options.move_db;
  // Every short TTL is over by now: the keys that kept one expired.
  std::this_thread::sleep_for(options.short_ttl_max);
  EXPECT_GT(info_number(connection, "stats", "expired_keys"), 0);
}

TEST(LiveWriter, StartsAndStopsOnRequest) {
  RedisServer server;
  LiveWriter writer(server);
  writer.start();
  ASSERT_TRUE(writer.wait_for_commands(2000));
  const LiveWriterReport report = writer.stop();
  EXPECT_GE(report.commands, 2000u);
  EXPECT_EQ(report.commands, writer.commands_sent());
  EXPECT_TRUE(report.failure.empty()) << report.describe();
  const std::size_t after_stop = writer.commands_sent();
  auto connection = server.connect();
  EXPECT_GT(connection.checked({"DBSIZE"}).integer, 0);
  EXPECT_EQ(writer.commands_sent(), after_stop) << "the writer goes on after stop()";
}

TEST(LiveWriter, PacedWriterSendsWhatItWasAskedFor) {
  RedisServer server;
  LiveWriterOptions options;
  options.rate = 20000;
  options.max_commands = 3000;
  LiveWriter writer(server, options);
  writer.start();
  const LiveWriterReport report = writer.wait();
  EXPECT_GE(report.commands, options.max_commands);
  EXPECT_LT(report.commands, options.max_commands + options.batch);
  EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
}

TEST(LiveWriter, SameKeyModeLeavesTheValuesOfTheLastWrites) {
  RedisServer first;
  RedisServer second;
  LiveWriterOptions options;
  options.mode = LiveWriterMode::same_key;
  options.rewrites_per_key = 1000;
  const LiveWriterReport report = LiveWriter(first, options).run();
  LiveWriter(second, options).run();
  EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
  EXPECT_EQ(report.expected_errors, 0u) << report.describe();

  auto connection = first.connect();
  const std::string tail("\0\r\n\xff", 4);
  auto key = [&](const std::string& type) { return "live:same:" + type + tail; };
  EXPECT_TRUE(connection.checked({"GET", key("string")}).str.ends_with("|999"));
  EXPECT_EQ(connection.checked({"HGET", key("hash"), "last"}).str, "999");
  EXPECT_EQ(connection.checked({"LINDEX", key("list"), "-1"}).str, "999");
  // Trimmed to the last 40 every fifth step (the last time at 995), then 4 more.
  EXPECT_EQ(connection.checked({"LLEN", key("list")}).integer, 44);
  EXPECT_EQ(connection.checked({"SCARD", key("set")}).integer, 8);
  EXPECT_EQ(connection.checked({"SISMEMBER", key("set"), "m999"}).integer, 1);
  EXPECT_EQ(connection.checked({"ZSCORE", key("zset"), "m7"}).str, "999");
  const redis::Reply last =
      connection.checked({"XREVRANGE", key("stream"), "+", "-", "COUNT", "1"});
  ASSERT_EQ(last.elements.size(), 1u);
  EXPECT_EQ(last.elements[0].elements.at(0).str, "1000-1");

  // Deterministic: the same options write the same data anywhere.
  auto other = second.connect();
  const auto differences = compare_databases(connection, other);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST(LiveWriter, ClusterTakesEveryCommand) {
  RedisCluster cluster;
  LiveWriterOptions options;
  options.max_commands = 10000;
  const LiveWriterReport report = LiveWriter(cluster, options).run();
  EXPECT_TRUE(report.failure.empty()) << report.describe();
  EXPECT_EQ(report.unexpected_error_count, 0u) << report.describe();
  EXPECT_EQ(report.count("MOVE"), 0u) << "a cluster has database 0 only";
  EXPECT_GT(report.count("RENAME"), 0u);
  EXPECT_GT(report.count("COPY"), 0u);

  ClusterKeyspace keyspace(cluster);
  for (const auto& master : keyspace.masters())
    EXPECT_GT(keyspace.connection_to(master).checked({"DBSIZE"}).integer, 0)
        << "no key on " << master;
}

}  // namespace
}  // namespace riot::test
