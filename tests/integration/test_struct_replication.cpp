// Type-based replication end to end: codec.struct reads every key through the
// datatype of its type and sink.struct writes it, driven by pipeline
// documents as `riot run` takes them; the tests compare both databases with
// their own code (compare_databases reads values by type and TTLs).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live_test_fixture.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/background_riot.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/redis_cluster.hpp"
#include "support/struct_dataset.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Every key above one byte is big: the chunked path for every key, in chunks
// of a few kilobytes, so that a test of a few thousand elements makes many.
const json kEveryKeyInChunks = {{"chunk_above_bytes", 1}, {"chunk_bytes", 4096}};

json struct_document(const std::string& source_uri, const std::string& target_uri,
                     json reader = json::object(), json sink = json::object()) {
  reader["uri"] = source_uri;
  sink["uri"] = target_uri;
  return {{"version", 1},
          {"stages",
           {{"source", {{"component", "source.scan"}, {"config", {{"uri", source_uri}}}}},
            {"reader", {{"component", "codec.struct"}, {"config", reader}}},
            {"sink", {{"component", "sink.struct"}, {"config", sink}}}}}};
}

ProcessResult run_document(const json& document) {
  ProcessOptions options;
  options.stdin_data = document.dump();
  options.timeout = 300s;
  return run_riot({"run", "-", "--progress", "none"}, options);
}

::testing::AssertionResult same_databases(Keyspace& source, Keyspace& target) {
  const std::vector<std::string> differences = compare_databases(source, target);
  if (differences.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << summarize(differences);
}

// The figure of the summary line "LABEL: N", -1 without one.
long long summary_figure(const ProcessResult& result, const std::string& label) {
  for (const std::string* text : {&result.out, &result.err}) {
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      const std::size_t at = line.find_first_not_of(' ');
      if (at == std::string::npos || line.compare(at, label.size() + 1, label + ":") != 0) continue;
      return std::stoll(line.substr(at + label.size() + 1));
    }
  }
  return -1;
}

}  // namespace

class StructReplicationTest : public SnapshotTest {
 protected:
  redis::Connection source_connection_ = source_->connect();
  redis::Connection target_connection_ = target_->connect();
  StandaloneKeyspace source_keys_{source_connection_};
  StandaloneKeyspace target_keys_{target_connection_};

  ProcessResult copy(const json& reader = json::object(), const json& sink = json::object()) {
    return run_document(struct_document(source_->uri(), target_->uri(), reader, sink));
  }
};

TEST_F(StructReplicationTest, EveryCoreTypeIsCopiedExactlyWithItsTtl) {
  write_core_types(source_keys_);
  const ProcessResult result = copy();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(same_databases(source_keys_, target_keys_));
  EXPECT_EQ(summary_figure(result, "keys written"),
            static_cast<long long>(source_keys_.key_count()));
  // Scores come back as the source printed them: an exact round trip.
  EXPECT_EQ(canonical_value(source_keys_, "zset:scores"),
            canonical_value(target_keys_, "zset:scores"));
}

TEST_F(StructReplicationTest, BigKeysCopiedInChunksEndExactWithoutStagingKeys) {
  write_core_types(source_keys_);
  write_big_keys(source_keys_, 5000);
  const ProcessResult result = copy(kEveryKeyInChunks);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(same_databases(source_keys_, target_keys_));
  EXPECT_TRUE(staging_keys(target_keys_).empty());
  // A key counts once, however many chunks it took.
  EXPECT_EQ(summary_figure(result, "keys written"),
            static_cast<long long>(source_keys_.key_count()));
  EXPECT_EQ(summary_figure(result, "keys read"), static_cast<long long>(source_keys_.key_count()));
}

TEST_F(StructReplicationTest, OverwriteReplacesWhatTheTargetHeld) {
  write_core_types(source_keys_);
  write_big_keys(source_keys_, 3000);
  // The target holds every key already, with other contents and other types.
  write_core_types(target_keys_);
  target_keys_.checked({"DEL", "string:int"});
  target_keys_.checked({"HSET", "string:int", "stale", "field"});
  target_keys_.checked({"SET", "big:hash", "a string where a hash will be"});
  target_keys_.checked({"RPUSH", "big:list", "stale", "elements"});
  target_keys_.checked({"HSET", "hash:one", "stale", "field"});
  target_keys_.checked({"PEXPIRE", "hash:one", "500000"});  // the source's key has no TTL

  for (const json& reader : {json::object(), kEveryKeyInChunks}) {
    const ProcessResult result = copy(reader, {{"merge", "overwrite"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(same_databases(source_keys_, target_keys_)) << reader.dump();
    EXPECT_TRUE(staging_keys(target_keys_).empty());
  }
}

TEST_F(StructReplicationTest, MergeAddsToWhatTheTargetHolds) {
  source_keys_.checked({"HSET", "hash", "shared", "source", "from-source", "1"});
  source_keys_.checked({"RPUSH", "list", "s1", "s2"});
  source_keys_.checked({"SADD", "set", "shared", "from-source"});
  source_keys_.checked({"ZADD", "zset", "1", "shared", "2", "from-source"});
  source_keys_.checked({"SET", "string", "source value"});
  source_keys_.checked({"PEXPIRE", "set", "600000"});
  write_big_keys(source_keys_, 2000, "big:");
  target_keys_.checked({"HSET", "hash", "shared", "target", "from-target", "2"});
  target_keys_.checked({"RPUSH", "list", "t1"});
  target_keys_.checked({"SADD", "set", "shared", "from-target"});
  target_keys_.checked({"ZADD", "zset", "5", "shared", "7", "from-target"});
  target_keys_.checked({"SET", "string", "target value", "PX", "800000"});
  target_keys_.checked({"HSET", "big:hash", "from-target", "kept"});
  target_keys_.checked({"SADD", "big:set", "from-target"});

  const ProcessResult result = copy(kEveryKeyInChunks, {{"merge", "merge"}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();

  redis::Connection& target = target_connection_;
  EXPECT_EQ(target.checked({"HGET", "hash", "shared"}).str, "source");  // the source's value wins
  EXPECT_EQ(target.checked({"HGET", "hash", "from-target"}).str, "2");
  EXPECT_EQ(target.checked({"HGET", "hash", "from-source"}).str, "1");
  const redis::Reply list = target.checked({"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(list.elements.size(), 3u);  // the source's elements appended
  EXPECT_EQ(list.elements[0].str, "t1");
  EXPECT_EQ(list.elements[2].str, "s2");
  EXPECT_EQ(target.checked({"SCARD", "set"}).integer, 3);
  EXPECT_EQ(target.checked({"ZSCORE", "zset", "shared"}).str, "1");
  EXPECT_EQ(target.checked({"ZSCORE", "zset", "from-target"}).str, "7");
  EXPECT_EQ(target.checked({"GET", "string"}).str, "source value");
  // The source's TTL applies where the source key has one; a persistent
  // source key leaves the target's TTL as it was.
  EXPECT_GT(target.checked({"PTTL", "set"}).integer, 0);
  EXPECT_GT(target.checked({"PTTL", "string"}).integer, 600000);
  EXPECT_EQ(target.checked({"HLEN", "big:hash"}).integer,
            source_keys_.checked({"HLEN", "big:hash"}).integer + 1);
  EXPECT_EQ(target.checked({"HGET", "big:hash", "from-target"}).str, "kept");
  EXPECT_EQ(target.checked({"SCARD", "big:set"}).integer,
            source_keys_.checked({"SCARD", "big:set"}).integer + 1);
  EXPECT_EQ(canonical_value(source_keys_, "big:zset"), canonical_value(target_keys_, "big:zset"));
  EXPECT_EQ(canonical_value(source_keys_, "big:string"),
            canonical_value(target_keys_, "big:string"));
  EXPECT_TRUE(staging_keys(target_keys_).empty());
}

TEST_F(StructReplicationTest, ReplaceFalseLeavesExistingKeysAloneAndCountsThem) {
  write_core_types(source_keys_);
  write_big_keys(source_keys_, 1000);
  target_keys_.checked({"SET", "hash:one", "the target's own"});
  target_keys_.checked({"SET", "big:list", "the target's own too"});

  const ProcessResult result = copy(kEveryKeyInChunks, {{"replace", false}});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(target_connection_.checked({"GET", "hash:one"}).str, "the target's own");
  EXPECT_EQ(target_connection_.checked({"GET", "big:list"}).str, "the target's own too");
  EXPECT_EQ(summary_figure(result, "keys failed"), 0) << result.describe();
  EXPECT_EQ(summary_figure(result, "keys left alone"), 2) << result.describe();
  EXPECT_EQ(canonical_value(source_keys_, "big:hash"), canonical_value(target_keys_, "big:hash"));
  EXPECT_TRUE(staging_keys(target_keys_).empty());
}

TEST(StructReplication, TargetWithoutRestoreIsServedByType) {
  RedisServer source_keys_server;
  RedisServer target_server(
      {.config = {"rename-command RESTORE \"\"", "rename-command DUMP \"\""}});
  redis::Connection source_keys_connection = source_keys_server.connect();
  redis::Connection target_connection = target_server.connect();
  StandaloneKeyspace source(source_keys_connection);
  StandaloneKeyspace target(target_connection);
  write_core_types(source);
  write_big_keys(source, 1000);

  const ProcessResult result = run_document(
      struct_document(source_keys_server.uri(), target_server.uri(), kEveryKeyInChunks));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(same_databases(source, target));
}

TEST(StructReplication, SourceRefusingMemoryUsageIsReadWhole) {
  RedisServer source_keys_server({.config = {"rename-command MEMORY \"\""}});
  RedisServer target_server;
  redis::Connection source_keys_connection = source_keys_server.connect();
  redis::Connection target_connection = target_server.connect();
  StandaloneKeyspace source(source_keys_connection);
  StandaloneKeyspace target(target_connection);
  write_core_types(source);
  write_big_keys(source, 1000);

  const ProcessResult result = run_document(
      struct_document(source_keys_server.uri(), target_server.uri(), kEveryKeyInChunks));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(same_databases(source, target));
  EXPECT_NE((result.out + result.err).find("MEMORY USAGE refused"), std::string::npos)
      << result.describe();
}

TEST(StructReplication, ClusterToClusterChunksLandInTheKeySlot) {
  RedisCluster source_keys_cluster;
  RedisCluster target_cluster;
  ClusterKeyspace source(source_keys_cluster);
  ClusterKeyspace target(target_cluster);
  write_core_types(source);
  for (const std::string prefix : {"big:", "{tagged}big:", "other:"})
    write_big_keys(source, 1000, prefix);

  const ProcessResult result = run_document(
      struct_document(source_keys_cluster.uri(), target_cluster.uri(), kEveryKeyInChunks));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(same_databases(source, target));
  EXPECT_TRUE(staging_keys(target).empty());
}

TEST(StructReplication, BigKeyChangedDuringItsChunkedCopyEndsCorrectInLiveMode) {
  RedisServer source_keys_server({.config = {"notify-keyspace-events KEA"}});
  RedisServer target_server;
  redis::Connection source_keys_connection = source_keys_server.connect();
  redis::Connection target_connection = target_server.connect();
  StandaloneKeyspace source(source_keys_connection);
  StandaloneKeyspace target(target_connection);
  write_big_keys(source, 20000);

  json reader = {{"uri", source_keys_server.uri()},
                 {"erase_missing", true},
                 {"chunk_above_bytes", 1},
                 {"chunk_bytes", 2048}};
  const json document = {
      {"version", 1},
      {"stages",
       {{"sources",
         {{{"component", "source.keyspace"}, {"config", {{"uri", source_keys_server.uri()}}}},
          {{"component", "source.scan"}, {"config", {{"uri", source_keys_server.uri()}}}}}},
        {"reader", {{"component", "codec.struct"}, {"config", reader}}},
        {"sink", {{"component", "sink.struct"}, {"config", {{"uri", target_server.uri()}}}}}}},
      {"runtime", {{"ordered", true}, {"idle_timeout_ms", kLiveIdleTimeout.count()}}}};
  const auto document_file = make_temp_directory("struct-live") / "pipeline.json";
  {
    std::ofstream file(document_file);
    file << document.dump();
  }
  BackgroundRiot riot({"run", document_file.string(), "--progress", "none"}, kLiveRunTimeout);
  ASSERT_TRUE(wait_for_subscriptions(source_keys_connection));
  // Change every big key while its chunks are being copied: elements added
  // and removed, a key replaced by another type, one deleted.
  for (int round = 0; round < 50; ++round) {
    const std::string n = std::to_string(round);
    source.checked({"HSET", "big:hash", "changed:" + n, n});
    source.checked({"HDEL", "big:hash", "field:" + n});
    source.checked({"LPUSH", "big:list", "head:" + n});
    source.checked({"SREM", "big:set", source.checked({"SRANDMEMBER", "big:set"}).str});
    source.checked({"ZINCRBY", "big:zset", "1000", "moved:" + n});
    source.checked({"APPEND", "big:string", n});
  }
  source.checked({"DEL", "big:set"});
  source.checked({"SET", "big:zset", "now a string"});
  const ProcessResult result = riot.wait();
  ASSERT_EQ(result.exit_code, kExitOk) << result.describe();
  EXPECT_TRUE(same_databases(source, target));
  EXPECT_TRUE(staging_keys(target).empty());
}

}  // namespace riot::test
