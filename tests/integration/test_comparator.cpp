// comparator.redis and codec.digest driven through their factories against
// real servers: a reader reads the source (codec.dump as a full comparison
// reads it, codec.struct, codec.digest), the comparator classifies every key
// against the target, and a presence pass over the target's keys finds the
// extra ones. Both databases are prepared with a known difference of every
// class and of every core type, so the counts, classes, keys and details
// reported are asserted exactly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
// Both TTLs as read, whatever time the run took (600 s and 595 s set).
using ::testing::MatchesRegex;

constexpr std::int64_t kToleranceMs = 1000;
constexpr const char* kTtl = "600000";
// Within and beyond kToleranceMs of kTtl.
constexpr const char* kTtlInside = "599500";
constexpr const char* kTtlOutside = "595000";

const std::string kBinaryKey("bin\0\r\n\xff", 7);
const std::string kBinaryValue("v\0\xff\r\n", 5);
const std::string kBinaryDiffering("bin:value\0", 10);

// The tests' own module, loaded on both servers: a type no datatype serves.
RedisServerOptions with_module() {
  return {.config = {"loadmodule " + redis_config_string(RIOT_TEST_RIOTBLOBS_MODULE)}};
}

void add_members(Keyspace& keys, const std::string& command, const std::string& key, int count,
                 bool descending) {
  for (int n = 0; n < count; ++n) {
    const std::string member = "m" + std::to_string(descending ? count - 1 - n : n);
    if (command == "HSET") {
      keys.checked({"HSET", key, member, "value of " + member});
    } else {
      keys.checked({command, key, member});
    }
  }
}

// Writes the same content to both sides, or differing content, key by key.
// Returns nothing: the expectations are spelled out by each test.
void write_equal_keys(Keyspace& source, Keyspace& target) {
  for (Keyspace* side : {&source, &target}) {
    const bool reversed = side == &target;
    side->checked({"SET", "str:eq", "hello"});
    side->checked({"SET", kBinaryKey, kBinaryValue});
    // Hashtable encodings (> 128 elements), and a listpack set, each built
    // in another insertion order: equal content, different DUMP bytes.
    add_members(*side, "HSET", "hash:order", 300, reversed);
    add_members(*side, "SADD", "set:order", 300, reversed);
    add_members(*side, "SADD", "set:small", 5, reversed);
    for (const char* member : {"a", "b", "c", "d"}) {
      side->checked({"ZADD", "zset:eq", "1", reversed ? std::string("z") + member : member});
      side->checked({"ZADD", "zset:eq", "1", reversed ? member : std::string("z") + member});
    }
    side->checked({"RPUSH", "list:eq", "a", "b", "c"});
    side->checked({"XADD", "stream:eq", "1-1", "f", "v"});
    side->checked({"XADD", "stream:eq", "2-1", "f", "w"});
    side->checked({"SET", "ttl:inside", "x", "PX", reversed ? kTtlInside : kTtl});
    side->checked({"RIOTBLOBS.SET", "blobs:eq", "one", "two"});
  }
}

void write_differing_keys(Keyspace& source, Keyspace& target) {
  source.checked({"HSET", "only:source", "f", "v"});
  target.checked({"SET", "only:target", "v"});
  source.checked({"SET", "type:diff", "v"});
  target.checked({"HSET", "type:diff", "f", "v"});
  source.checked({"HSET", "hash:value", "f1", "a", "f2", "bb", "f3", "c"});
  target.checked({"HSET", "hash:value", "f1", "a", "f2", "bbbb", "f3", "c"});
  source.checked({"HSET", "hash:size", "f1", "a", "f2", "b", "f3", "c"});
  target.checked({"HSET", "hash:size", "f1", "a", "f2", "b"});
  source.checked({"RPUSH", "list:value", "a", "b", "c", "d", "e"});
  target.checked({"RPUSH", "list:value", "a", "b", "c", "D", "e"});
  source.checked({"SET", "str:value", "abc"});
  target.checked({"SET", "str:value", "abd"});
  source.checked({"SET", kBinaryDiffering, kBinaryValue});
  target.checked({"SET", kBinaryDiffering, std::string("v\0\xfe\r\n", 5)});
  source.checked({"ZADD", "zset:value", "1", "a", "2", "b"});
  target.checked({"ZADD", "zset:value", "1", "a", "3", "b"});
  for (Keyspace* side : {&source, &target}) {
    side->checked({"XADD", "stream:group", "1-1", "f", "v"});
    side->checked({"XADD", "stream:group", "2-1", "f", "w"});
  }
  source.checked({"XGROUP", "CREATE", "stream:group", "g", "1-1"});
  target.checked({"XGROUP", "CREATE", "stream:group", "g", "2-1"});
  source.checked({"SET", "ttl:outside", "x", "PX", kTtl});
  target.checked({"SET", "ttl:outside", "x", "PX", kTtlOutside});
  source.checked({"SET", "ttl:persistent", "x"});
  target.checked({"SET", "ttl:persistent", "x", "PX", kTtl});
  source.checked({"RIOTBLOBS.SET", "blobs:value", "one", "two"});
  target.checked({"RIOTBLOBS.SET", "blobs:value", "one", "three"});
}

constexpr std::uint64_t kEqualKeys = 10;  // write_equal_keys
constexpr std::uint64_t kModuleKeys = 2;  // blobs:eq, blobs:value

class ComparatorTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisServer> source_ = std::make_unique<RedisServer>(with_module());
  std::unique_ptr<RedisServer> target_ = std::make_unique<RedisServer>(with_module());
  redis::Connection source_connection_ = source_->connect();
  redis::Connection target_connection_ = target_->connect();
  StandaloneKeyspace source_keys_{source_connection_};
  StandaloneKeyspace target_keys_{target_connection_};
  TestHost host_;
  std::size_t chunk_records_ = 0;  // records of big keys read in chunks by the last compare()

  json comparator_config(const std::string& target_uri, json extra = json::object()) const {
    extra["uri"] = target_uri;
    extra["source"] = {{"uri", source_->uri()}};
    if (!extra.contains("ttl_tolerance_ms")) extra["ttl_tolerance_ms"] = kToleranceMs;
    return extra;
  }

  // Every key `uri` holds, as source.scan emits them.
  static KeyBatch scan(const std::string& uri, TestHost& host) {
    CollectingWriter keys;
    run_every_partition(*make_scan({{"uri", uri}}, host), keys);
    KeyBatch batch;
    for (KeyBatch& scanned : keys.batches)
      for (KeyEvent& event : scanned) batch.push_back(std::move(event));
    return batch;
  }

  // The source's keys read by `reader` and compared with the target in
  // batches of `batch_size`, then the target's keys read by codec.digest
  // (presence) and compared by a fresh comparator: the extras pass.
  RecordedOutcomes compare(const std::string& reader, json reader_config,
                           json comparator = json::object(), std::size_t batch_size = 7,
                           const std::string& target_uri = "") {
    const std::string target = target_uri.empty() ? target_->uri() : target_uri;
    reader_config["uri"] = source_->uri();
    KeyBatch keys = scan(source_->uri(), host_);
    RecordBatch records;
    read_all(*make_reader(reader, reader_config, host_), keys, records);
    chunk_records_ = static_cast<std::size_t>(std::count_if(
        records.begin(), records.end(), [](const Record& r) { return !r.chunk.is_whole(); }));
    compare_all(*make_comparator(comparator_config(target, comparator), host_), records,
                batch_size);

    KeyBatch target_keys = scan(target, host_);
    RecordBatch absent;
    read_all(*make_reader("codec.digest", {{"uri", source_->uri()}, {"read", "presence"}}, host_),
             target_keys, absent);
    compare_all(*make_comparator(comparator_config(target, comparator), host_), absent, batch_size);
    return host_.outcomes();
  }
};

// codec.dump as the full comparison configures it.
const json kFullDumpReader = {
    {"erase_missing", true}, {"mem_limit_bytes", 4 << 20}, {"over_limit", "struct"}};

void expect_difference(const RecordedOutcomes& outcomes, const std::string& key,
                       DifferenceClass difference,
                       const ::testing::Matcher<const std::string&>& detail) {
  const RecordedDifference* found = outcomes.find(key);
  ASSERT_NE(found, nullptr) << "no difference reported for \"" << printable_key(key) << "\"";
  EXPECT_EQ(found->difference, difference) << printable_key(key) << ": " << found->detail;
  EXPECT_THAT(found->detail, detail) << printable_key(key);
  EXPECT_FALSE(found->changed_during_comparison) << printable_key(key);
}

// What a full comparison reports of write_differing_keys, module keys aside.
void expect_core_differences(const RecordedOutcomes& outcomes) {
  expect_difference(outcomes, "only:source", DifferenceClass::missing,
                    "not on the target (source: hash, persistent)");
  expect_difference(outcomes, "only:target", DifferenceClass::extra,
                    "not on the source (target: string, persistent)");
  expect_difference(outcomes, "type:diff", DifferenceClass::type, "string vs hash");
  expect_difference(outcomes, "hash:value", DifferenceClass::value, HasSubstr("f2"));
  expect_difference(outcomes, "hash:size", DifferenceClass::value, ::testing::Not(""));
  expect_difference(outcomes, "list:value", DifferenceClass::value, HasSubstr("3"));
  expect_difference(outcomes, "str:value", DifferenceClass::value, ::testing::Not(""));
  expect_difference(outcomes, kBinaryDiffering, DifferenceClass::value, ::testing::Not(""));
  expect_difference(outcomes, "zset:value", DifferenceClass::value, HasSubstr("b"));
  expect_difference(outcomes, "stream:group", DifferenceClass::value, HasSubstr("g"));
  expect_difference(outcomes, "ttl:outside", DifferenceClass::ttl,
                    MatchesRegex("ttl 5[0-9]{5} ms vs 5[0-9]{5} ms"));
  expect_difference(outcomes, "ttl:persistent", DifferenceClass::ttl,
                    MatchesRegex("ttl persistent vs 5[0-9]{5} ms"));

  const RecordedDifference* missing = outcomes.find("only:source");
  EXPECT_EQ(missing->source_type, "hash");
  EXPECT_EQ(missing->target_type, "");
  EXPECT_EQ(missing->source_ttl_ms, -1);
  EXPECT_EQ(missing->target_ttl_ms, -2);
  const RecordedDifference* extra = outcomes.find("only:target");
  EXPECT_EQ(extra->source_type, "");
  EXPECT_EQ(extra->target_type, "string");
  const RecordedDifference* persistent = outcomes.find("ttl:persistent");
  EXPECT_EQ(persistent->source_ttl_ms, -1);
  EXPECT_GT(persistent->target_ttl_ms, 0);
}

}  // namespace

TEST_F(ComparatorTest, FullComparisonByDumpFindsEveryClassAndType) {
  write_equal_keys(source_keys_, target_keys_);
  write_differing_keys(source_keys_, target_keys_);

  const RecordedOutcomes outcomes = compare("codec.dump", kFullDumpReader);

  expect_core_differences(outcomes);
  expect_difference(outcomes, "blobs:value", DifferenceClass::value,
                    "no datatype for type riotblobs: DUMP bytes differ");
  EXPECT_EQ(outcomes.count(DifferenceClass::missing), 1u);
  EXPECT_EQ(outcomes.count(DifferenceClass::extra), 1u);
  EXPECT_EQ(outcomes.count(DifferenceClass::type), 1u);
  EXPECT_EQ(outcomes.count(DifferenceClass::value), 8u);
  EXPECT_EQ(outcomes.count(DifferenceClass::ttl), 2u);
  EXPECT_EQ(outcomes.differences.size(), 13u);
  EXPECT_EQ(outcomes.equal, kEqualKeys);
  // The hash and the sets built in other orders dump differently: equal
  // only by type, at the second look.
  EXPECT_GE(outcomes.equal_after_recheck, 2u);
  EXPECT_TRUE(host_.failures().empty()) << host_.failures().front().error;
}

TEST_F(ComparatorTest, FullComparisonByStructFindsEveryClassAndType) {
  write_equal_keys(source_keys_, target_keys_);
  write_differing_keys(source_keys_, target_keys_);

  const RecordedOutcomes outcomes = compare("codec.struct", {{"erase_missing", true}});

  // Module keys have no datatype to read them by: failed, not compared.
  expect_core_differences(outcomes);
  EXPECT_EQ(outcomes.find("blobs:value"), nullptr);
  EXPECT_EQ(outcomes.count(DifferenceClass::value), 7u);
  EXPECT_EQ(outcomes.differences.size(), 12u);
  EXPECT_EQ(outcomes.equal, kEqualKeys - 1);
  EXPECT_EQ(outcomes.equal_after_recheck, 0u);
  EXPECT_EQ(host_.failures().size(), kModuleKeys);
}

TEST_F(ComparatorTest, QuickComparisonComparesExistenceTypeTtlAndSize) {
  write_equal_keys(source_keys_, target_keys_);
  write_differing_keys(source_keys_, target_keys_);

  const RecordedOutcomes outcomes = compare("codec.digest", json::object(), {{"compare", "quick"}});

  expect_difference(outcomes, "only:source", DifferenceClass::missing,
                    "not on the target (source: hash, persistent)");
  expect_difference(outcomes, "only:target", DifferenceClass::extra,
                    "not on the source (target: string, persistent)");
  expect_difference(outcomes, "type:diff", DifferenceClass::type, "string vs hash");
  expect_difference(outcomes, "ttl:outside", DifferenceClass::ttl,
                    MatchesRegex("ttl 5[0-9]{5} ms vs 5[0-9]{5} ms"));
  // Values of equal size pass; the hash whose size differs is found where
  // the hash datatype measures sizes (HLEN).
  redis::KeyedCommands probe;
  const bool hash_sizes = host_.datatype("hash")->append_size("k", probe) > 0;
  if (hash_sizes) expect_difference(outcomes, "hash:size", DifferenceClass::value, "size 3 vs 2");
  EXPECT_EQ(outcomes.count(DifferenceClass::value), hash_sizes ? 1u : 0u);
  EXPECT_EQ(outcomes.count(DifferenceClass::ttl), 2u);
  const std::uint64_t both_hold = kEqualKeys + 11;  // write_differing_keys: 11 keys on both sides
  EXPECT_EQ(outcomes.equal + outcomes.differences.size(), both_hold + 2);  // + missing, extra
  EXPECT_TRUE(host_.failures().empty()) << host_.failures().front().error;
}

TEST_F(ComparatorTest, KeyWrittenOnTheSourceMeanwhileIsLookedAtAgain) {
  source_keys_.checked({"SET", "fixed", "old"});
  source_keys_.checked({"SET", "moving", "old"});
  target_keys_.checked({"SET", "fixed", "new"});
  target_keys_.checked({"SET", "moving", "new"});
  KeyBatch keys = key_batch({"fixed", "moving"});
  RecordBatch records;
  read_all(*make_reader("codec.dump", {{"uri", source_->uri()}}, host_), keys, records);
  // Written after the reader's read, before the comparator's look: one the
  // same as the target, the other to a third value.
  source_keys_.checked({"SET", "fixed", "new"});
  source_keys_.checked({"SET", "moving", "newest"});

  compare_all(*make_comparator(comparator_config(target_->uri()), host_), records, 10);

  const RecordedOutcomes outcomes = host_.outcomes();
  EXPECT_EQ(outcomes.equal, 1u);
  EXPECT_EQ(outcomes.equal_after_recheck, 1u);
  ASSERT_EQ(outcomes.differences.size(), 1u);
  EXPECT_EQ(outcomes.differences[0].key, "moving");
  EXPECT_EQ(outcomes.differences[0].difference, DifferenceClass::value);
  EXPECT_TRUE(outcomes.differences[0].changed_during_comparison);
}

TEST_F(ComparatorTest, KeysNeitherSideHoldsAnyMoreGetNoOutcome) {
  source_keys_.checked({"SET", "gone", "v"});
  KeyBatch keys = key_batch({"gone", "never"});
  RecordBatch records;
  read_all(*make_reader("codec.dump", {{"uri", source_->uri()}, {"erase_missing", true}}, host_),
           keys, records);
  source_keys_.checked({"DEL", "gone"});

  compare_all(*make_comparator(comparator_config(target_->uri()), host_), records, 10);

  const RecordedOutcomes outcomes = host_.outcomes();
  EXPECT_EQ(outcomes.equal, 0u);
  EXPECT_TRUE(outcomes.differences.empty());
}

class BigKeyComparatorTest : public ComparatorTest {
 protected:
  static constexpr int kFields = 300000;

  void write_big_hash(redis::Connection& connection) {
    std::vector<std::string> arguments;
    for (int at = 0; at < kFields; at += 1000) {
      arguments.assign({"HSET", "big"});
      for (int n = at; n < at + 1000; ++n) {
        arguments.push_back("f" + std::to_string(n));
        arguments.push_back("value " + std::to_string(n));
      }
      const std::vector<std::string_view> views(arguments.begin(), arguments.end());
      const redis::Reply reply = connection.command(std::span<const std::string_view>(views));
      ASSERT_FALSE(reply.is_error()) << reply.str;
    }
  }

  void SetUp() override {
    write_big_hash(source_connection_);
    write_big_hash(target_connection_);
    for (const char* key : {"a", "b", "c"}) {
      source_keys_.checked({"SET", key, "v"});
      target_keys_.checked({"SET", key, "v"});
    }
  }

  // Big keys (above 1 MiB) read in chunks of 64 KiB by the reader and by the
  // comparator's second look; records in batches of 3, so that the chunks
  // of the big key spread over many batches with small keys in between.
  RecordedOutcomes compare_in_chunks() {
    const json chunks = {{"chunk_above_bytes", 1 << 20}, {"chunk_bytes", 64 << 10}};
    json reader = kFullDumpReader;
    reader["mem_limit_bytes"] = 1 << 20;
    reader["chunk_bytes"] = 64 << 10;
    return compare("codec.dump", reader, chunks, 3);
  }
};

TEST_F(BigKeyComparatorTest, EqualBigHashComparedInChunks) {
  const RecordedOutcomes outcomes = compare_in_chunks();

  EXPECT_GT(chunk_records_, 10u);  // the big hash came in chunks
  EXPECT_TRUE(outcomes.differences.empty()) << outcomes.differences.front().detail;
  EXPECT_EQ(outcomes.equal, 4u);
  EXPECT_EQ(outcomes.equal_after_recheck, 0u);
  EXPECT_TRUE(host_.failures().empty()) << host_.failures().front().error;
}

TEST_F(BigKeyComparatorTest, OneDifferingFieldOfABigHashIsFound) {
  target_keys_.checked({"HSET", "big", "f150000", "changed"});

  const RecordedOutcomes outcomes = compare_in_chunks();

  EXPECT_GT(chunk_records_, 10u);
  ASSERT_EQ(outcomes.differences.size(), 1u);
  expect_difference(outcomes, "big", DifferenceClass::value, HasSubstr("f150000"));
  EXPECT_EQ(outcomes.equal, 3u);
  EXPECT_TRUE(host_.failures().empty()) << host_.failures().front().error;
}

TEST(ComparatorClusterTest, ClusterTargetAgainstStandaloneSource) {
  RedisServer source;
  RedisCluster cluster;
  redis::Connection source_connection = source.connect();
  StandaloneKeyspace source_keys(source_connection);
  ClusterKeyspace target_keys(cluster);
  // Keys of many slots: every master holds some.
  for (int n = 0; n < 60; ++n) {
    const std::string key = "key:" + std::to_string(n);
    source_keys.checked({"HSET", key, "f", "v"});
    if (n != 7) target_keys.checked({"HSET", key, "f", n == 13 ? "w" : "v"});
  }
  target_keys.checked({"SET", "extra", "v"});

  TestHost host;
  KeyBatch keys = key_batch(source_keys.scan_all_keys());
  RecordBatch records;
  read_all(*make_reader("codec.dump", {{"uri", source.uri()}, {"erase_missing", true}}, host), keys,
           records);
  const json config = {{"uri", cluster.uri()}, {"source", {{"uri", source.uri()}}}};
  compare_all(*make_comparator(config, host), records, 16);
  KeyBatch target_batch = key_batch(target_keys.scan_all_keys());
  RecordBatch absent;
  read_all(*make_reader("codec.digest", {{"uri", source.uri()}, {"read", "presence"}}, host),
           target_batch, absent);
  compare_all(*make_comparator(config, host), absent, 16);

  const RecordedOutcomes outcomes = host.outcomes();
  ASSERT_EQ(outcomes.differences.size(), 3u);
  expect_difference(outcomes, "key:7", DifferenceClass::missing,
                    "not on the target (source: hash, persistent)");
  expect_difference(outcomes, "key:13", DifferenceClass::value, ::testing::Not(""));
  expect_difference(outcomes, "extra", DifferenceClass::extra,
                    "not on the source (target: string, persistent)");
  EXPECT_EQ(outcomes.equal, 58u);
  EXPECT_TRUE(host.failures().empty()) << host.failures().front().error;
}

}  // namespace riot::test
