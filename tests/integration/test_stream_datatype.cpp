// datatype.stream driven directly, as the struct reader and sink drive it:
// append_read -> one pipeline on the source -> decode_read -> append_write
// -> one pipeline on a second server -> check_write_reply, whole and in
// chunks. Every test then reads both streams with its own XRANGE, XINFO and
// XPENDING commands and compares what a client can see of them.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "datatype_rounds.hpp"
#include "plugin_harness.hpp"
#include "riot/datatype.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using namespace std::string_literals;

// Bytes a protocol or a printf would trip over, in keys, fields, group and
// consumer names.
const std::string kBinary = "b\0in\r\n\xff"s;

// The datatype as the runtime makes it: from the plugin, configuration `{}`;
// owned by the test, so that a test can end its "run" by destroying it.
std::unique_ptr<Datatype> make_stream_datatype(TestHost& host) {
  return create<DatatypeFactory>(datatype_component_name("stream"), nlohmann::json::object(), host);
}

// The value of `name` in a RESP2 map reply (const or not).
template <typename Map>
Map& field(Map& map, std::string_view name) {
  for (std::size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].str == name) return map.elements[i + 1];
  }
  throw std::runtime_error("no field " + std::string(name));
}

std::string text(const redis::Reply& reply) {
  if (reply.is_nil()) return "nil";
  if (reply.is_integer()) return std::to_string(reply.integer);
  return printable_key(reply.str, 1000);
}

// What canonical_value (support/dataset.hpp: entries, last id, groups with
// their pending entries) leaves out of a stream that a copy rebuilds: the
// counters of Redis 7 and the consumers' names.
std::string stream_counters(redis::Connection& connection, const std::string& key) {
  const redis::Reply info = connection.checked({"XINFO", "STREAM", key});
  std::string counters = "entries-added " + text(field(info, "entries-added")) +
                         " max-deleted-entry-id " + text(field(info, "max-deleted-entry-id"));
  for (const redis::Reply& group : connection.checked({"XINFO", "GROUPS", key}).elements) {
    const std::string name = field(group, "name").str;
    counters += "; group " + text(field(group, "name")) + " entries-read " +
                text(field(group, "entries-read")) + " consumers";
    for (const redis::Reply& consumer :
         connection.checked({"XINFO", "CONSUMERS", key, name}).elements) {
      counters += " " + text(field(consumer, "name"));
    }
  }
  return counters;
}

// Everything a client sees of the stream at `key` that a copy rebuilds, read
// with the test's own commands.
std::string stream_state(redis::Connection& connection, const std::string& key) {
  return canonical_value(connection, key) + "\n" + stream_counters(connection, key);
}

std::string stream_field(redis::Connection& connection, const std::string& key,
                         std::string_view name) {
  const redis::Reply info = connection.checked({"XINFO", "STREAM", key});
  return text(field(info, name));
}

// A field of a group, as XINFO GROUPS shows it.
std::string group_field(redis::Connection& connection, const std::string& key,
                        std::string_view group, std::string_view name) {
  for (const redis::Reply& info : connection.checked({"XINFO", "GROUPS", key}).elements) {
    if (field(info, "name").str == group) return text(field(info, name));
  }
  return "no group " + std::string(group);
}

// A pending entry's consumer and delivery count ("alice 2"), "" when not pending.
std::string pending_entry(redis::Connection& connection, const std::string& key,
                          const std::string& group, const std::string& id) {
  const redis::Reply pending = connection.checked({"XPENDING", key, group, id, id, "1"});
  if (pending.elements.empty()) return {};
  return text(pending.elements[0].elements[1]) + " " + text(pending.elements[0].elements[3]);
}

// group/id -> delivery time (unix ms), from XINFO STREAM FULL.
std::map<std::string, std::int64_t> delivery_times(redis::Connection& connection,
                                                   const std::string& key) {
  std::map<std::string, std::int64_t> times;
  const redis::Reply full = connection.checked({"XINFO", "STREAM", key, "FULL", "COUNT", "0"});
  for (const redis::Reply& group : field(full, "groups").elements) {
    for (const redis::Reply& pending : field(group, "pending").elements) {
      times[field(group, "name").str + "/" + pending.elements[0].str] = pending.elements[2].integer;
    }
  }
  return times;
}

// A stream with most of what a stream can hold: entries (one deleted),
// three groups (one reading, one at the end, one that read everything),
// consumers with and without pending entries, deliveries counted twice.
void fill_rich_stream(redis::Connection& source, const std::string& key) {
  for (int i = 1; i <= 6; ++i) {
    source.checked({"XADD", key, std::to_string(i) + "-1", "f" + std::to_string(i),
                    "v" + std::to_string(i), kBinary, "x"});
  }
  source.checked({"XDEL", key, "6-1"});
  source.checked({"XGROUP", "CREATE", key, "readers", "0"});
  source.checked({"XREADGROUP", "GROUP", "readers", "alice", "COUNT", "2", "STREAMS", key, ">"});
  source.checked({"XREADGROUP", "GROUP", "readers", kBinary, "COUNT", "1", "STREAMS", key, ">"});
  // alice reads her history again: her entries' delivery counts become 2.
  source.checked({"XREADGROUP", "GROUP", "readers", "alice", "STREAMS", key, "0"});
  source.checked({"XGROUP", "CREATECONSUMER", key, "readers", "idle-bob"});
  source.checked({"XGROUP", "CREATE", key, "latest", "$"});
  source.checked({"XGROUP", "CREATE", key, "done", "0"});
  source.checked({"XREADGROUP", "GROUP", "done", "carol", "STREAMS", key, ">"});
  source.checked({"XACK", key, "done", "1-1", "2-1", "3-1", "4-1", "5-1"});
}

// Writes `records` to `key` through `client`, a pipeline per record, and
// returns the errors check_write_reply finds.
std::vector<std::string> write_records(const Datatype& datatype, redis::Client& client,
                                       const std::vector<Record>& records, const std::string& key,
                                       WriteOptions options) {
  std::vector<std::string> errors;
  for (const Record& record : records) {
    redis::KeyedCommands commands;
    commands.track_slots(client.is_cluster());
    const std::size_t appended = datatype.append_write(record, key, options, commands);
    if (appended == 0) continue;
    std::vector<redis::Reply> replies;
    client.pipeline(commands, replies);
    EXPECT_EQ(replies.size(), appended);
    for (std::size_t i = 0; i < replies.size(); ++i) {
      std::string error = datatype.check_write_reply(i, replies[i]);
      if (!error.empty()) errors.push_back(std::move(error));
    }
  }
  return errors;
}

class StreamDatatypeTest : public ::testing::Test {
 protected:
  // Reads `key` whole from `client` as a struct reader does.
  ReadStatus read_whole(redis::Client& client, const std::string& key, Record& record) {
    return test::read_whole(*datatype_, client, key, record);
  }

  Record read_whole(redis::Client& client, const std::string& key) {
    Record record;
    EXPECT_EQ(read_whole(client, key, record), ReadStatus::value) << printable_key(key);
    return record;
  }

  std::vector<Record> read_in_chunks(const std::string& key, std::size_t chunk_bytes,
                                     const std::function<void()>& between_chunks = {}) {
    return read_chunks(*datatype_, *source_client_, key, chunk_bytes, between_chunks);
  }

  ChunkedComparison compare_in_chunks(const std::string& key, const std::vector<Record>& chunks) {
    return compare_chunks(*datatype_, *target_client_, key, chunks);
  }

  std::vector<std::string> write(const std::vector<Record>& records, const std::string& key,
                                 WriteOptions options) {
    return write_records(*datatype_, *target_client_, records, key, options);
  }

  // Whether the datatype logged `text` at `level` or above.
  bool logged(spdlog::level::level_enum level, std::string_view text) const {
    return host_.logged(level).find(text) != std::string::npos;
  }

  // Ends the "run": the datatype goes and logs its totals; whether they say
  // `text`.
  bool totals_logged(std::string_view text) {
    datatype_.reset();
    return logged(spdlog::level::info, text);
  }

  // Overwrite as the sink makes it: the key deleted, then written.
  std::vector<std::string> overwrite(const std::vector<Record>& records, const std::string& key,
                                     StreamIdPolicy ids = StreamIdPolicy::propagate) {
    target_.checked({"DEL", key});
    return write(records, key, {MergePolicy::overwrite, ids});
  }

  std::vector<std::string> merge(const std::vector<Record>& records, const std::string& key) {
    return write(records, key, {MergePolicy::merge, StreamIdPolicy::propagate});
  }

  TestHost host_;
  std::unique_ptr<Datatype> datatype_ = make_stream_datatype(host_);
  RedisServer source_server_;
  RedisServer target_server_;
  std::unique_ptr<redis::Client> source_client_ = client_of(source_server_);
  std::unique_ptr<redis::Client> target_client_ = client_of(target_server_);
  redis::Connection source_ = source_server_.connect();
  redis::Connection target_ = target_server_.connect();
};

TEST_F(StreamDatatypeTest, WholeCopyRebuildsEntriesMetadataGroupsConsumersAndPendingEntries) {
  const std::string key = "orders";
  fill_rich_stream(source_, key);

  const Record record = read_whole(*source_client_, key);
  EXPECT_TRUE(overwrite({record}, key).empty());

  const std::string state = stream_state(source_, key);
  EXPECT_EQ(stream_state(target_, key), state);
  // The pieces that matter, so that an empty state cannot pass.
  EXPECT_EQ(stream_field(target_, key, "max-deleted-entry-id"), "6-1");
  EXPECT_EQ(pending_entry(target_, key, "readers", "1-1"), "alice 2");
  EXPECT_EQ(group_field(target_, key, "readers", "consumers"), "3") << "idle-bob too";
  // Delivery times are set (XCLAIM TIME) to the source's.
  EXPECT_EQ(delivery_times(target_, key), delivery_times(source_, key));
  EXPECT_TRUE(datatype_->compare(record, read_whole(*target_client_, key)).equal);
}

TEST_F(StreamDatatypeTest, ChunkedReadInSmallChunksRebuildsTheSameStream) {
  const std::string key = "big";
  for (int i = 1; i <= 300; ++i) {
    source_.checked({"XADD", key, "*", "n", std::to_string(i), "pad", std::string(40, 'p')});
  }
  source_.checked({"XGROUP", "CREATE", key, "g", "0"});
  source_.checked({"XREADGROUP", "GROUP", "g", "c1", "COUNT", "7", "STREAMS", key, ">"});
  source_.checked({"XGROUP", "CREATECONSUMER", key, "g", "c2"});

  const std::vector<Record> chunks = read_in_chunks(key, 1000);
  ASSERT_GT(chunks.size(), 5u);  // about 20 entries a chunk
  std::size_t largest = 0;
  for (const Record& chunk : chunks) largest = std::max(largest, chunk.weight());
  EXPECT_LT(largest, 8000u) << "chunks are bounded by about chunk_bytes";
  EXPECT_TRUE(overwrite(chunks, key).empty());

  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
  EXPECT_TRUE(
      datatype_->compare(read_whole(*source_client_, key), read_whole(*target_client_, key)).equal);
}

TEST_F(StreamDatatypeTest, ChunkedReadOfAStreamWithoutGroupsEndsWithTheEntries) {
  const std::string key = "plain";
  for (int i = 1; i <= 200; ++i) source_.checked({"XADD", key, "*", "n", std::to_string(i)});
  source_.checked({"XTRIM", key, "MAXLEN", "150"});

  const std::vector<Record> chunks = read_in_chunks(key, 100);
  EXPECT_GT(chunks.size(), 10u);
  EXPECT_TRUE(overwrite(chunks, key).empty());
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
}

TEST_F(StreamDatatypeTest, ChunksOfBigEntriesHoldFewEntries) {
  const std::string key = "photos";
  const std::string photo(10000, 'x');
  for (int i = 1; i <= 20; ++i) source_.checked({"XADD", key, "*", "jpeg", photo});

  const std::vector<Record> chunks = read_in_chunks(key, 16000);
  EXPECT_GE(chunks.size(), 16u);
  for (const Record& chunk : chunks) {
    EXPECT_LE(chunk.weight(), 4 * (photo.size() + 100)) << "chunk " << chunk.chunk.index;
  }
  EXPECT_TRUE(overwrite(chunks, key).empty());
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
}

TEST_F(StreamDatatypeTest, ChunkedReadFollowsEntriesAndGroupsAddedDuringTheRead) {
  const std::string key = "growing";
  for (int i = 1; i <= 100; ++i) source_.checked({"XADD", key, "*", "n", std::to_string(i)});
  int changes = 0;
  const std::vector<Record> chunks = read_in_chunks(key, 300, [&] {
    if (changes++ != 2) return;
    for (int i = 1; i <= 20; ++i) source_.checked({"XADD", key, "*", "late", std::to_string(i)});
    source_.checked({"XGROUP", "CREATE", key, "late-group", "0"});
    source_.checked({"XREADGROUP", "GROUP", "late-group", "c", "COUNT", "3", "STREAMS", key, ">"});
  });
  ASSERT_GT(changes, 2);
  EXPECT_TRUE(overwrite(chunks, key).empty());
  EXPECT_EQ(target_.checked({"XLEN", key}).integer, 120);
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
}

TEST_F(StreamDatatypeTest, PendingEntriesOfDeletedMessagesAreCountedNotRebuilt) {
  const std::string key = "acked-late";
  for (int i = 1; i <= 4; ++i) source_.checked({"XADD", key, std::to_string(i) + "-0", "n", "v"});
  source_.checked({"XGROUP", "CREATE", key, "g", "0"});
  source_.checked({"XREADGROUP", "GROUP", "g", "c", "STREAMS", key, ">"});
  source_.checked({"XDEL", key, "2-0", "3-0"});  // pending, and gone

  const Record record = read_whole(*source_client_, key);
  EXPECT_TRUE(overwrite({record}, key).empty());

  const redis::Reply pending = target_.checked({"XPENDING", key, "g", "-", "+", "10"});
  ASSERT_EQ(pending.elements.size(), 2u);
  EXPECT_EQ(pending.elements[0].elements[0].str, "1-0");
  EXPECT_EQ(pending.elements[1].elements[0].str, "4-0");
  // What no client can rebuild is no difference, whole or chunk by chunk.
  EXPECT_TRUE(datatype_->compare(record, read_whole(*target_client_, key)).equal);
  const ChunkedComparison chunked = compare_in_chunks(key, read_in_chunks(key, 10));
  EXPECT_TRUE(chunked.comparison.equal) << chunked.comparison.detail;
  EXPECT_TRUE(logged(spdlog::level::warn,
                     "stream pending entries were not rebuilt: the target stream does not hold "
                     "their message"))
      << host_.logged(spdlog::level::trace);
  EXPECT_TRUE(
      totals_logged("in total, 2 stream pending entries were not rebuilt: the target stream "
                    "does not hold their message"))
      << host_.logged(spdlog::level::trace);
}

TEST_F(StreamDatatypeTest, EmptyStreamsKeepTheirIdsAndGroups) {
  source_.checked({"XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM"});
  source_.checked({"XADD", "emptied", "7-7", "f", "v"});
  source_.checked({"XADD", "emptied", "8-0", "f", "v"});
  source_.checked({"XDEL", "emptied", "7-7", "8-0"});

  for (const std::string key : {"fresh", "emptied"}) {
    EXPECT_TRUE(overwrite({read_whole(*source_client_, key)}, key).empty()) << key;
    EXPECT_EQ(target_.checked({"TYPE", key}).str, "stream") << key;
    EXPECT_EQ(stream_state(target_, key), stream_state(source_, key)) << key;
  }
  EXPECT_EQ(stream_field(target_, "emptied", "last-generated-id"), "8-0");
  // Chunks of an empty stream with a group: one finds the group, the last
  // one reads its consumers and pending entries.
  EXPECT_EQ(read_in_chunks("fresh", 100).size(), 2u);
}

TEST_F(StreamDatatypeTest, BinaryKeysFieldsGroupsAndConsumersAreOrdinaryData) {
  const std::string key = "k" + kBinary;
  source_.checked({"XADD", key, "1-0", kBinary, kBinary + kBinary, "plain", ""});
  source_.checked({"XGROUP", "CREATE", key, kBinary, "0"});
  source_.checked({"XREADGROUP", "GROUP", kBinary, kBinary, "STREAMS", key, ">"});

  EXPECT_TRUE(overwrite({read_whole(*source_client_, key)}, key).empty());
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
  EXPECT_EQ(pending_entry(target_, key, kBinary, "1-0"), printable_key(kBinary, 1000) + " 1");

  EXPECT_TRUE(overwrite(read_in_chunks(key, 10), key).empty());
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
}

TEST_F(StreamDatatypeTest, MergeAppendsNewerEntriesAndKeepsWhatTheTargetHolds) {
  const std::string key = "s";
  for (int i = 1; i <= 4; ++i) source_.checked({"XADD", key, std::to_string(i) + "-0", "n", "src"});
  source_.checked({"XGROUP", "CREATE", key, "shared", "3-0"});
  source_.checked({"XGROUP", "CREATE", key, "new", "1-0"});
  target_.checked({"XADD", key, "1-0", "n", "src"});
  target_.checked({"XADD", key, "2-0", "n", "target's own"});
  target_.checked({"XGROUP", "CREATE", key, "shared", "0"});

  EXPECT_TRUE(merge({read_whole(*source_client_, key)}, key).empty());

  const redis::Reply entries = target_.checked({"XRANGE", key, "-", "+"});
  ASSERT_EQ(entries.elements.size(), 4u);
  EXPECT_EQ(entries.elements[1].elements[1].elements[1].str, "target's own");
  EXPECT_EQ(entries.elements[3].elements[0].str, "4-0");
  EXPECT_EQ(group_field(target_, key, "shared", "last-delivered-id"), "0-0");
  EXPECT_EQ(group_field(target_, key, "new", "last-delivered-id"), "1-0");
  EXPECT_EQ(stream_field(target_, key, "last-generated-id"), "4-0");
  const std::string state = stream_state(target_, key);
  // A second merge finds everything there.
  EXPECT_TRUE(merge({read_whole(*source_client_, key)}, key).empty());
  EXPECT_EQ(stream_state(target_, key), state);

  // Overwrite replaces all of it.
  EXPECT_TRUE(overwrite({read_whole(*source_client_, key)}, key).empty());
  EXPECT_EQ(stream_state(target_, key), stream_state(source_, key));
}

TEST_F(StreamDatatypeTest, MergeIntoATargetAheadKeepsTheTargetsMetadata) {
  const std::string key = "behind";
  source_.checked({"XADD", key, "1-0", "n", "v"});
  target_.checked({"XADD", key, "1-0", "n", "v"});
  target_.checked({"XADD", key, "9-0", "n", "v"});

  EXPECT_TRUE(merge({read_whole(*source_client_, key)}, key).empty());
  EXPECT_EQ(stream_field(target_, key, "last-generated-id"), "9-0");
}

TEST_F(StreamDatatypeTest, DroppedIdsGiveNewIdsAndGroupsResumeAfterTheSameEntry) {
  const std::string key = "events";
  for (int i = 1; i <= 5; ++i) {
    source_.checked({"XADD", key, std::to_string(i) + "-0", "n", std::to_string(i)});
  }
  source_.checked({"XGROUP", "CREATE", key, "g", "0"});
  source_.checked({"XREADGROUP", "GROUP", "g", "c", "COUNT", "3", "STREAMS", key, ">"});
  source_.checked({"XGROUP", "CREATE", key, "none-read", "0"});

  EXPECT_TRUE(overwrite({read_whole(*source_client_, key)}, key, StreamIdPolicy::drop).empty());

  const redis::Reply entries = target_.checked({"XRANGE", key, "-", "+"});
  ASSERT_EQ(entries.elements.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NE(entries.elements[i].elements[0].str, std::to_string(i + 1) + "-0");
    EXPECT_EQ(entries.elements[i].elements[1].elements[1].str, std::to_string(i + 1));
  }
  const std::string third = entries.elements[2].elements[0].str;
  // The group read entries 1 to 3: it resumes after the third new id.
  EXPECT_EQ(group_field(target_, key, "g", "last-delivered-id"), third);
  EXPECT_EQ(group_field(target_, key, "none-read", "last-delivered-id"), "0-0");
  EXPECT_EQ(group_field(target_, key, "g", "consumers"), "1");
  EXPECT_EQ(group_field(target_, key, "g", "pending"), "0");
  EXPECT_TRUE(
      totals_logged("in total, 3 stream pending entries were not rebuilt: with stream ids "
                    "dropped"))
      << host_.logged(spdlog::level::trace);
}

TEST_F(StreamDatatypeTest, DroppedIdsInChunksPlaceAGroupOfAnEarlierChunkAtTheStart) {
  const std::string key = "chunked-events";
  for (int i = 1; i <= 100; ++i) source_.checked({"XADD", key, "*", "n", std::to_string(i)});
  source_.checked({"XGROUP", "CREATE", key, "early", "0"});
  source_.checked({"XREADGROUP", "GROUP", "early", "c", "COUNT", "2", "STREAMS", key, ">"});
  source_.checked({"XGROUP", "CREATE", key, "caught-up", "$"});
  source_.checked({"XGROUP", "CREATE", key, "unread", "0"});

  const std::vector<Record> chunks = read_in_chunks(key, 200);
  ASSERT_GT(chunks.size(), 3u);
  EXPECT_TRUE(overwrite(chunks, key, StreamIdPolicy::drop).empty());

  EXPECT_EQ(target_.checked({"XLEN", key}).integer, 100);
  const redis::Reply info = target_.checked({"XINFO", "STREAM", key});
  const std::string last_id = field(info, "last-entry").elements.at(0).str;
  EXPECT_EQ(group_field(target_, key, "early", "last-delivered-id"), "0-0");
  EXPECT_EQ(group_field(target_, key, "caught-up", "last-delivered-id"), last_id);
  EXPECT_EQ(group_field(target_, key, "unread", "last-delivered-id"), "0-0");
  EXPECT_TRUE(logged(spdlog::level::warn,
                     "stream consumer groups were placed at the start of their stream"))
      << host_.logged(spdlog::level::trace);
  EXPECT_TRUE(totals_logged("in total, 1 stream consumer groups were placed at the start"))
      << host_.logged(spdlog::level::trace);
}

// Removes the fields `names` from a RESP2 map reply.
void remove_fields(redis::Reply& map, std::initializer_list<std::string_view> names) {
  std::vector<redis::Reply> kept;
  for (std::size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (std::find(names.begin(), names.end(), map.elements[i].str) != names.end()) continue;
    kept.push_back(std::move(map.elements[i]));
    kept.push_back(std::move(map.elements[i + 1]));
  }
  map.elements = std::move(kept);
}

TEST_F(StreamDatatypeTest, ASourceOlderThanRedis7LeavesTheNewCountersToTheTarget) {
  const std::string key = "from-redis-6";
  fill_rich_stream(source_, key);
  // XINFO STREAM FULL as Redis 6.2 answers it: without the counters 7.0 added.
  std::vector<redis::Reply> replies{
      source_.checked({"XINFO", "STREAM", key, "FULL", "COUNT", "0"})};
  remove_fields(replies[0], {"entries-added", "max-deleted-entry-id", "recorded-first-entry-id"});
  for (redis::Reply& group : field(replies[0], "groups").elements) {
    remove_fields(group, {"entries-read", "lag"});
  }
  Record record{.key = key, .kind = RecordKind::value, .type = "stream"};
  ASSERT_EQ(datatype_->decode_read(replies, record), ReadStatus::value);
  EXPECT_TRUE(overwrite({record}, key).empty());

  // Entries, last id, groups, consumers and pending entries as the source's;
  // entries added counted by the target (5 entries added), the max deleted
  // id unknown to it.
  const redis::Reply info = target_.checked({"XINFO", "STREAM", key});
  EXPECT_EQ(field(info, "entries-added").integer, 5);
  EXPECT_EQ(field(info, "max-deleted-entry-id").str, "0-0");
  EXPECT_EQ(field(info, "last-generated-id").str, "6-1");
  EXPECT_EQ(target_.checked({"XRANGE", key, "-", "+"}).elements.size(), 5u);
  EXPECT_EQ(target_.checked({"XPENDING", key, "readers", "-", "+", "10"}).elements.size(), 3u);
}

TEST_F(StreamDatatypeTest, ManyKeysReadInOnePipelineWithGoneAndWrongTypeKeys) {
  source_.checked({"XADD", "a", "1-0", "f", "1"});
  source_.checked({"XADD", "b", "2-0", "f", "2"});
  source_.checked({"SET", "text", "not a stream"});
  const std::vector<std::string> keys{"a", "missing", "text", "b"};

  redis::KeyedCommands commands;
  commands.track_slots(false);
  std::vector<std::size_t> counts;
  for (const std::string& key : keys) counts.push_back(datatype_->append_read(key, commands));
  std::vector<redis::Reply> replies;
  source_client_->pipeline(commands, replies);

  std::vector<ReadStatus> statuses;
  std::span<redis::Reply> rest(replies);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Record record{.key = keys[i], .kind = RecordKind::value, .type = "stream"};
    statuses.push_back(datatype_->decode_read(rest.first(counts[i]), record));
    rest = rest.subspan(counts[i]);
    if (statuses.back() == ReadStatus::value) {
      EXPECT_TRUE(overwrite({record}, keys[i]).empty());
      EXPECT_EQ(stream_state(target_, keys[i]), stream_state(source_, keys[i]));
    }
  }
  EXPECT_EQ(statuses, (std::vector<ReadStatus>{ReadStatus::value, ReadStatus::gone,
                                               ReadStatus::wrong_type, ReadStatus::value}));
}

TEST_F(StreamDatatypeTest, CompareNamesTheFirstDifference) {
  const std::string key = "cmp";
  fill_rich_stream(source_, key);
  const Record source = read_whole(*source_client_, key);
  ASSERT_TRUE(overwrite({source}, key).empty());

  target_.checked({"XADD", key, "9-0", "late", "entry"});
  ValueComparison comparison = datatype_->compare(source, read_whole(*target_client_, key));
  EXPECT_FALSE(comparison.equal);
  EXPECT_EQ(comparison.detail, "length 5 vs 6");

  ASSERT_TRUE(overwrite({source}, key).empty());
  target_.checked({"XGROUP", "SETID", key, "readers", "5-1"});
  comparison = datatype_->compare(source, read_whole(*target_client_, key));
  EXPECT_EQ(comparison.detail, "group \"readers\": last delivered id 3-1 vs 5-1");

  ASSERT_TRUE(overwrite({source}, key).empty());
  target_.checked({"XCLAIM", key, "readers", "idle-bob", "0", "1-1"});
  comparison = datatype_->compare(source, read_whole(*target_client_, key));
  EXPECT_FALSE(comparison.equal);
  EXPECT_NE(comparison.detail.find("pending entry 1-1"), std::string::npos) << comparison.detail;
}

TEST_F(StreamDatatypeTest, WholeCompareNamesConsumersGroupsAndEntryFields) {
  const std::string key = "cmp-more";
  fill_rich_stream(source_, key);
  const Record source = read_whole(*source_client_, key);

  ASSERT_TRUE(overwrite({source}, key).empty());
  target_.checked({"XGROUP", "DELCONSUMER", key, "readers", "idle-bob"});
  EXPECT_EQ(datatype_->compare(source, read_whole(*target_client_, key)).detail,
            "group \"readers\": consumer \"idle-bob\" missing on the target");

  ASSERT_TRUE(overwrite({source}, key).empty());
  target_.checked({"XGROUP", "CREATE", key, "zz-extra", "0"});
  EXPECT_EQ(datatype_->compare(source, read_whole(*target_client_, key)).detail,
            "group \"zz-extra\" only on the target");

  ASSERT_TRUE(overwrite({source}, key).empty());
  target_.checked({"XGROUP", "DESTROY", key, "done"});
  EXPECT_EQ(datatype_->compare(source, read_whole(*target_client_, key)).detail,
            "group \"done\" missing on the target");

  // The same entries, one value changed: the entry, the field and the sizes.
  source_.checked({"XADD", "fields", "1-1", "f", "12345"});
  target_.checked({"XADD", "fields", "1-1", "f", "1234567"});
  EXPECT_EQ(
      datatype_
          ->compare(read_whole(*source_client_, "fields"), read_whole(*target_client_, "fields"))
          .detail,
      "entry 1-1: field \"f\": 5 bytes vs 7 bytes");
}

TEST_F(StreamDatatypeTest, ChunkedComparisonOfACopyIsEqualAndFindsEachDifferenceWhereItLies) {
  const std::string key = "chunked-cmp";
  fill_rich_stream(source_, key);
  for (int i = 1; i <= 200; ++i) {
    source_.checked({"XADD", key, std::to_string(100 + i) + "-0", "n", std::to_string(i), kBinary,
                     std::string(i % 30, 'p')});
  }
  const std::vector<Record> chunks = read_in_chunks(key, 600);
  ASSERT_GT(chunks.size(), 5u);
  const auto copy = [&] { ASSERT_TRUE(overwrite(chunks, key).empty()); };
  copy();
  ChunkedComparison found = compare_in_chunks(key, chunks);
  EXPECT_TRUE(found.comparison.equal) << found.comparison.detail;
  EXPECT_EQ(found.chunk, chunks.size());

  // An entry of a middle chunk deleted on the target: found in that chunk,
  // naming the entry.
  const std::size_t middle = chunks.size() / 2;
  ASSERT_NE(chunks[middle].parts.at(0), "0");
  const std::string deleted = chunks[middle].parts.at(1);  // the first entry's id (the layout)
  target_.checked({"XDEL", key, deleted});
  found = compare_in_chunks(key, chunks);
  EXPECT_EQ(found.chunk, middle);
  EXPECT_NE(found.comparison.detail.find(deleted), std::string::npos) << found.comparison.detail;

  copy();
  target_.checked({"XADD", key, "999-0", "late", "entry"});
  found = compare_in_chunks(key, chunks);
  EXPECT_EQ(found.chunk, chunks.size() - 1);
  EXPECT_EQ(found.comparison.detail, "length 205 vs 206");

  copy();
  target_.checked({"XGROUP", "SETID", key, "readers", "5-1"});
  found = compare_in_chunks(key, chunks);
  EXPECT_EQ(found.chunk, chunks.size() - 1);
  EXPECT_EQ(found.comparison.detail, "group \"readers\": last delivered id 3-1 vs 5-1");

  copy();
  target_.checked({"XCLAIM", key, "readers", "idle-bob", "0", "1-1"});
  found = compare_in_chunks(key, chunks);
  EXPECT_EQ(found.comparison.detail,
            "group \"readers\": pending entry 1-1: consumer \"alice\" vs \"idle-bob\"");

  target_.checked({"DEL", key});
  found = compare_in_chunks(key, chunks);
  EXPECT_EQ(found.comparison.detail, "target holds no stream");
  EXPECT_EQ(found.chunk, 0u);
  target_.checked({"SET", key, "a string"});
  EXPECT_EQ(compare_in_chunks(key, chunks).comparison.detail, "target holds no stream");
}

// A cluster source: every command of a read goes to the node of its key
// (TIME too), many keys of several nodes in one pipeline.
TEST(StreamDatatypeClusterTest, StreamsOfEveryNodeAreReadInOnePipelineWholeAndInChunks) {
  RedisCluster cluster;
  ClusterKeyspace source(cluster);
  RedisServer target_server;
  redis::Connection target = target_server.connect();
  TestHost host;
  const std::unique_ptr<Datatype> datatype = make_stream_datatype(host);
  redis::ClientOptions options;
  options.connection = cluster.client_options(0);
  const std::unique_ptr<redis::Client> source_client = redis::Client::open(std::move(options));
  ASSERT_TRUE(source_client->is_cluster());
  const std::unique_ptr<redis::Client> target_client = client_of(target_server);

  std::vector<std::string> keys;
  for (int k = 0; k < 6; ++k) {
    const std::string key = "stream:" + std::to_string(k);
    keys.push_back(key);
    for (int i = 1; i <= 40; ++i) source.checked({"XADD", key, "*", "n", std::to_string(i)});
    source.checked_on_key(key, {"XGROUP", "CREATE", key, "g", "0"});
    source.checked_on_key(key,
                          {"XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "STREAMS", key, ">"});
  }

  redis::KeyedCommands commands;  // slots tracked: a cluster routes by them
  std::vector<std::size_t> counts;
  for (const std::string& key : keys) counts.push_back(datatype->append_read(key, commands));
  std::vector<redis::Reply> replies;
  source_client->pipeline(commands, replies);
  std::span<redis::Reply> rest(replies);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    Record record{.key = keys[i], .kind = RecordKind::value, .type = "stream"};
    ASSERT_EQ(datatype->decode_read(rest.first(counts[i]), record), ReadStatus::value);
    rest = rest.subspan(counts[i]);
    EXPECT_TRUE(write_records(*datatype, *target_client, {record}, keys[i], {}).empty());
    EXPECT_EQ(stream_state(target, keys[i]),
              stream_state(source.connection_for_key(keys[i]), keys[i]));
  }

  // In chunks, through the same cluster client.
  target.checked({"FLUSHALL"});
  for (const std::string& key : keys) {
    const std::vector<Record> chunks = read_chunks(*datatype, *source_client, key, 200);
    EXPECT_GT(chunks.size(), 2u);
    EXPECT_TRUE(write_records(*datatype, *target_client, chunks, key, {}).empty());
    EXPECT_EQ(stream_state(target, key), stream_state(source.connection_for_key(key), key));
  }
}

// End to end: source.scan -> codec.struct -> sink.struct in a pipeline
// document, as `riot run` takes it.
class StreamPipelineTest : public ::testing::Test {
 protected:
  ProcessResult run(nlohmann::json reader, nlohmann::json sink) {
    reader["uri"] = source_server_.uri();
    sink["uri"] = target_server_.uri();
    const nlohmann::json document = {
        {"version", 1},
        {"stages",
         {{"source", {{"component", "source.scan"}, {"config", {{"uri", source_server_.uri()}}}}},
          {"reader", {{"component", "codec.struct"}, {"config", reader}}},
          {"sink", {{"component", "sink.struct"}, {"config", sink}}}}}};
    ProcessOptions options;
    options.stdin_data = document.dump();
    return run_riot({"run", "-", "--progress", "none"}, options);
  }

  RedisServer source_server_;
  RedisServer target_server_;
  redis::Connection source_ = source_server_.connect();
  redis::Connection target_ = target_server_.connect();
};

TEST_F(StreamPipelineTest, StreamsAreCopiedWholeAndInChunksWithTheirTtl) {
  const std::vector<std::string> keys{"orders", "big", "fresh", "k" + kBinary};
  fill_rich_stream(source_, keys[0]);
  for (int i = 1; i <= 3000; ++i) {
    source_.checked({"XADD", keys[1], "*", "n", std::to_string(i), "pad", std::string(30, 'p')});
  }
  source_.checked({"XGROUP", "CREATE", keys[1], "g", "0"});
  source_.checked({"XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "STREAMS", keys[1], ">"});
  source_.checked({"XGROUP", "CREATE", keys[2], "g", "$", "MKSTREAM"});
  source_.checked({"XADD", keys[3], "1-0", kBinary, kBinary});
  source_.checked({"PEXPIRE", keys[0], "600000"});

  // Whole values, then every stream in chunks of a few kilobytes.
  const nlohmann::json in_chunks = {{"chunk_above_bytes", 1}, {"chunk_bytes", 4096}};
  for (const nlohmann::json& reader : {nlohmann::json::object(), in_chunks}) {
    target_.checked({"FLUSHALL"});
    const ProcessResult result = run(reader, nlohmann::json::object());
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    for (const std::string& key : keys) {
      EXPECT_EQ(stream_state(target_, key), stream_state(source_, key))
          << printable_key(key) << " " << reader.dump();
    }
    EXPECT_GT(target_.checked({"PTTL", keys[0]}).integer, 500000) << reader.dump();
    EXPECT_EQ(target_.checked({"DBSIZE"}).integer, 4) << "no staging key left";
  }
}

TEST_F(StreamPipelineTest, MergeAppendsTheSourcesNewerEntriesToTheTargetsStream) {
  for (int i = 1; i <= 4; ++i) source_.checked({"XADD", "s", std::to_string(i) + "-0", "n", "src"});
  source_.checked({"XGROUP", "CREATE", "s", "shared", "4-0"});
  target_.checked({"XADD", "s", "2-0", "n", "target's own"});
  target_.checked({"XGROUP", "CREATE", "s", "shared", "0"});

  const ProcessResult result = run(nlohmann::json::object(), {{"merge", "merge"}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const redis::Reply entries = target_.checked({"XRANGE", "s", "-", "+"});
  ASSERT_EQ(entries.elements.size(), 3u);  // 2-0 (the target's), 3-0, 4-0
  EXPECT_EQ(entries.elements[0].elements[1].elements[1].str, "target's own");
  EXPECT_EQ(entries.elements[2].elements[0].str, "4-0");
  EXPECT_EQ(group_field(target_, "s", "shared", "last-delivered-id"), "0-0");
}

TEST_F(StreamPipelineTest, DroppedIdsAreNewIdsAndTheLostPendingEntriesAreNoted) {
  fill_rich_stream(source_, "orders");

  const ProcessResult result = run(nlohmann::json::object(), {{"stream_ids", "drop"}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(target_.checked({"XLEN", "orders"}).integer, 5);
  EXPECT_NE(stream_field(target_, "orders", "last-generated-id"),
            stream_field(source_, "orders", "last-generated-id"));
  const std::string output = result.out + result.err;
  EXPECT_NE(output.find("stream pending entries were not rebuilt: with stream ids dropped"),
            std::string::npos)
      << result.describe();
}

}  // namespace
}  // namespace riot::test
