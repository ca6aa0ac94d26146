// The core datatypes' comparison against real servers: values read from a
// source and a target with the datatypes' own reads, compared whole
// (Datatype::compare) and chunk by chunk (the source's chunks as
// decode_chunk_read makes them, each probed on the target as a comparator
// does). Equal values built differently compare equal; every kind of
// difference is found, in whichever chunk it lies, with the detail a person
// needs.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "datatype_rounds.hpp"
#include "plugin_harness.hpp"
#include "riot/datatype.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using namespace std::string_literals;

// Bytes a protocol or a printf would trip over.
const std::string kBinary = "b\0in\r\n\xff"s;
const std::string kBinaryShown = "\"b\\x00in\\r\\n\\xff\"";

// Runs `command` on `connection`, failing the test on an error reply.
void run(redis::Connection& connection, const std::vector<std::string>& command) {
  const std::vector<std::string_view> args(command.begin(), command.end());
  const redis::Reply reply = connection.command(args);
  ASSERT_FALSE(reply.is_error()) << reply.str;
}

// The element written at position `i` of the test's values: binary bytes,
// sizes that vary.
std::string element(std::size_t i) {
  return kBinary + std::to_string(i) + std::string(i % 23, 'p');
}

class DatatypeCompareTest : public ::testing::Test {
 protected:
  const Datatype& datatype(std::string_view type) {
    const Datatype* found = host_.datatype(type);
    if (found == nullptr) throw std::runtime_error("no datatype " + std::string(type));
    return *found;
  }

  // Sends `commands` to `keyspace` in one pipeline, failing on an error reply.
  static void send(Keyspace& keyspace, KeyedCommands& commands) {
    for (const redis::Reply& reply : keyspace.pipeline(commands))
      ASSERT_FALSE(reply.is_error()) << reply.str;
    commands.clear();
  }

  // Writes a value of `type` with `count` elements at `key` on `keyspace`,
  // its elements added in ascending or descending order.
  static void write_value(Keyspace& keyspace, std::string_view type, const std::string& key,
                          std::size_t count, bool descending = false) {
    KeyedCommands commands;
    for (std::size_t n = 0; n < count; ++n) {
      const std::size_t i = descending ? count - 1 - n : n;
      const std::string value = element(i);
      if (type == "hash") commands.add({"HSET", key, "field:" + std::to_string(i), value});
      if (type == "set") commands.add({"SADD", key, value});
      if (type == "zset") commands.add({"ZADD", key, std::to_string(i) + ".5", value});
      if (type == "list") commands.add({descending ? "LPUSH" : "RPUSH", key, value});
      if (type == "string") commands.add({"APPEND", key, value});
      if (commands.size() == 4000) send(keyspace, commands);
    }
    if (!commands.empty()) send(keyspace, commands);
  }

  Record whole(redis::Client& client, std::string_view type, const std::string& key) {
    Record record;
    EXPECT_EQ(read_whole(datatype(type), client, key, record), ReadStatus::value)
        << type << " " << printable_key(key);
    return record;
  }

  ValueComparison compare_whole(std::string_view type, const std::string& key) {
    return datatype(type).compare(whole(*source_client_, type, key),
                                  whole(*target_client_, type, key));
  }

  std::vector<Record> source_chunks(std::string_view type, const std::string& key,
                                    std::size_t chunk_bytes) {
    return read_chunks(datatype(type), *source_client_, key, chunk_bytes);
  }

  ChunkedComparison compare_in_chunks(std::string_view type, const std::string& key,
                                      const std::vector<Record>& chunks) {
    return compare_chunks(datatype(type), *target_client_, key, chunks);
  }

  // The target's key made the source's again (RESTORE of its DUMP).
  void copy_to_target(const std::string& key) {
    const redis::Reply dump = source_.checked({"DUMP", key});
    target_.checked({"RESTORE", key, "0", dump.str, "REPLACE"});
  }

  TestHost host_;
  RedisServer source_server_;
  RedisServer target_server_;
  std::unique_ptr<redis::Client> source_client_ = client_of(source_server_);
  std::unique_ptr<redis::Client> target_client_ = client_of(target_server_);
  redis::Connection source_ = source_server_.connect();
  redis::Connection target_ = target_server_.connect();
  StandaloneKeyspace source_keys_{source_};
  StandaloneKeyspace target_keys_{target_};
};

const std::vector<std::string_view> kChunkedTypes{"hash", "set", "zset", "list", "string"};

TEST_F(DatatypeCompareTest, EqualValuesBuiltInOtherOrdersAndEncodingsCompareEqual) {
  // The target keeps small values in the big encodings: hashtable, skiplist,
  // quicklist nodes of one element.
  for (const auto& [name, value] : {std::pair{"hash-max-listpack-entries", "0"},
                                    {"set-max-intset-entries", "0"},
                                    {"zset-max-listpack-entries", "0"},
                                    {"list-max-listpack-size", "1"}}) {
    target_.checked({"CONFIG", "SET", name, value});
  }
  std::vector<std::string> keys;
  for (const std::string_view type : kChunkedTypes) {
    for (const std::size_t count : {std::size_t{12}, std::size_t{3000}}) {
      const std::string key = std::string(type) + ":" + std::to_string(count);
      write_value(source_keys_, type, key, count);
      write_value(target_keys_, type, key, count, /*descending=*/type != "string");
      keys.push_back(key);
    }
  }
  // Integers: an intset against a hashtable; scores written "1" and "1.0".
  source_.checked({"SADD", "set:ints", "1", "2", "3", "-7"});
  target_.checked({"SADD", "set:ints", "-7", "3", "2", "1"});
  source_.checked({"ZADD", "zset:scores", "1", "a", "inf", "b", "-inf", "c", "0.1", "d"});
  target_.checked({"ZADD", "zset:scores", "1.0", "a", "+inf", "b", "-inf", "c", "1e-1", "d"});
  keys.insert(keys.end(), {"set:ints", "zset:scores"});

  // The encodings do differ, and so do the DUMP payloads: only a comparison
  // by type can tell these values equal.
  EXPECT_NE(source_.checked({"OBJECT", "ENCODING", "hash:12"}).str,
            target_.checked({"OBJECT", "ENCODING", "hash:12"}).str);
  EXPECT_NE(source_.checked({"OBJECT", "ENCODING", "set:ints"}).str,
            target_.checked({"OBJECT", "ENCODING", "set:ints"}).str);
  EXPECT_NE(source_.checked({"DUMP", "hash:3000"}).str, target_.checked({"DUMP", "hash:3000"}).str);

  for (const std::string& key : keys) {
    const std::string type = source_.checked({"TYPE", key}).str;
    const ValueComparison whole = compare_whole(type, key);
    EXPECT_TRUE(whole.equal) << key << ": " << whole.detail;
    const std::vector<Record> chunks = source_chunks(type, key, 512);
    if (key.ends_with("3000")) {
      EXPECT_GT(chunks.size(), 5u) << key;
    }
    const ChunkedComparison chunked = compare_in_chunks(type, key, chunks);
    EXPECT_TRUE(chunked.comparison.equal) << key << ": " << chunked.comparison.detail;
  }
}

// A difference of each kind, made on the target of an equal copy.
struct DifferenceCase {
  std::string type;
  std::vector<std::vector<std::string>> source;  // commands that write the key "k"
  std::vector<std::string> target_change;        // then applied to the target's copy
  std::string detail;                            // what the whole comparison says
};

TEST_F(DatatypeCompareTest, EachKindOfDifferenceIsNamed) {
  const std::vector<DifferenceCase> cases{
      {"hash",
       {{"HSET", "k", "f1", "a", "f2", "12345"}},
       {"HSET", "k", "f2", "1234567"},
       "field \"f2\": 5 bytes vs 7 bytes"},
      {"hash",
       {{"HSET", "k", "f1", "abc"}},
       {"HSET", "k", "f1", "aXc"},
       "field \"f1\": byte 1 differs"},
      {"hash",
       {{"HSET", "k", "f1", "a", "f9", "b"}},
       {"HDEL", "k", "f9"},
       "field \"f9\" missing on the target"},
      {"hash",
       {{"HSET", "k", "f1", "a"}},
       {"HSET", "k", "x", "b"},
       "field \"x\" only on the target"},
      {"hash",
       {{"HSET", "k", kBinary, "a", "f", "b"}},
       {"HDEL", "k", kBinary},
       "field " + kBinaryShown + " missing on the target"},
      {"list",
       {{"RPUSH", "k", "0", "1", "2", "3", "4"}},
       {"LSET", "k", "3", "x"},
       "index 3 differs"},
      {"list",
       {{"RPUSH", "k", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
       {"RPOP", "k"},
       "length 10 vs 9"},
      {"set", {{"SADD", "k", "a", "m"}}, {"SREM", "k", "m"}, "member \"m\" missing on the target"},
      {"set", {{"SADD", "k", "a"}}, {"SADD", "k", "x"}, "member \"x\" only on the target"},
      {"zset",
       {{"ZADD", "k", "1.5", "m", "3", "n"}},
       {"ZADD", "k", "2", "m"},
       "member \"m\": score 1.5 vs 2"},
      {"zset",
       {{"ZADD", "k", "inf", "m"}},
       {"ZADD", "k", "-inf", "m"},
       "member \"m\": score inf vs -inf"},
      {"zset",
       {{"ZADD", "k", "1", "m", "2", "n"}},
       {"ZREM", "k", "n"},
       "member \"n\" missing on the target"},
      {"string",
       {{"SET", "k", "hello"}},
       {"SETRANGE", "k", "2", "L"},
       "byte 2 differs, 5 bytes vs 5 bytes"},
      {"string",
       {{"SET", "k", "hello"}},
       {"APPEND", "k", "!!"},
       "byte 5 differs, 5 bytes vs 7 bytes"},
  };
  for (const DifferenceCase& c : cases) {
    source_.checked({"DEL", "k"});
    for (const std::vector<std::string>& command : c.source) run(source_, command);
    copy_to_target("k");
    ASSERT_TRUE(compare_whole(c.type, "k").equal) << c.detail;
    run(target_, c.target_change);

    const ValueComparison whole = compare_whole(c.type, "k");
    EXPECT_FALSE(whole.equal) << c.detail;
    EXPECT_EQ(whole.detail, c.detail);
    const ChunkedComparison chunked =
        compare_in_chunks(c.type, "k", source_chunks(c.type, "k", 64));
    EXPECT_FALSE(chunked.comparison.equal) << c.detail;
    EXPECT_FALSE(chunked.comparison.detail.empty()) << c.detail;
  }
}

// Changes on the target the element `element` of `chunk` (a chunk of the
// source's value at `key`, whose elements before it were `before`), and
// returns the detail its comparison must give.
std::string change_on_target(redis::Connection& target, std::string_view type,
                             const std::string& key, const Record& chunk, std::size_t element,
                             std::size_t before) {
  if (type == "hash") {
    const std::string& field = chunk.parts[2 * element];
    const std::string& value = chunk.parts[2 * element + 1];
    target.checked({"HSET", key, field, value + "!"});
    return "field \"" + printable_key(field, 64) + "\": " + std::to_string(value.size()) +
           " bytes vs " + std::to_string(value.size() + 1) + " bytes";
  }
  if (type == "set") {
    target.checked({"SREM", key, chunk.parts[element]});
    return "member \"" + printable_key(chunk.parts[element], 64) + "\" missing on the target";
  }
  if (type == "zset") {
    const std::string& member = chunk.parts[2 * element];
    target.checked({"ZADD", key, "-1", member});
    return "member \"" + printable_key(member, 64) + "\": score " + chunk.parts[2 * element + 1] +
           " vs -1";
  }
  if (type == "list") {
    const std::string index = std::to_string(before + element);
    target.checked({"LSET", key, index, "changed"});
    return "index " + index + " differs";
  }
  const std::size_t offset = before + element;
  const char changed = static_cast<char>(chunk.parts[0][element] ^ 0x20);
  target.checked({"SETRANGE", key, std::to_string(offset), std::string(1, changed)});
  return "byte " + std::to_string(offset) + " differs";
}

// How many elements (bytes of a string) a chunk holds.
std::size_t elements_of(std::string_view type, const Record& chunk) {
  if (type == "string") return chunk.parts.empty() ? 0 : chunk.parts[0].size();
  return type == "hash" || type == "zset" ? chunk.parts.size() / 2 : chunk.parts.size();
}

TEST_F(DatatypeCompareTest, ChunkedComparisonFindsADifferenceInTheFirstMiddleAndLastChunk) {
  for (const std::string_view type : kChunkedTypes) {
    const std::string key = "big:" + std::string(type);
    write_value(source_keys_, type, key, 3000);
    const std::vector<Record> chunks = source_chunks(type, key, 2048);
    ASSERT_GT(chunks.size(), 4u) << type;
    // The chunks that hold elements, and the elements before each.
    std::vector<std::size_t> holding;
    std::vector<std::size_t> before(chunks.size(), 0);
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (i > 0) before[i] = before[i - 1] + elements_of(type, chunks[i - 1]);
      if (elements_of(type, chunks[i]) > 0) holding.push_back(i);
    }
    for (const std::size_t chunk : {holding.front(), holding[holding.size() / 2], holding.back()}) {
      copy_to_target(key);
      ASSERT_TRUE(compare_in_chunks(type, key, chunks).comparison.equal) << type;
      const std::size_t element = elements_of(type, chunks[chunk]) - 1;
      const std::string detail =
          change_on_target(target_, type, key, chunks[chunk], element, before[chunk]);

      const ChunkedComparison found = compare_in_chunks(type, key, chunks);
      EXPECT_FALSE(found.comparison.equal) << type << " chunk " << chunk;
      EXPECT_EQ(found.chunk, chunk) << type;
      EXPECT_TRUE(found.comparison.detail.starts_with(detail))
          << type << ": " << found.comparison.detail << " (expected " << detail << ")";
    }
  }
}

TEST_F(DatatypeCompareTest, ChunkedComparisonFindsExtraElementsAndAMissingOrWrongTypeTarget) {
  for (const std::string_view type : kChunkedTypes) {
    const std::string key = "big:" + std::string(type);
    write_value(source_keys_, type, key, 1000);
    const std::vector<Record> chunks = source_chunks(type, key, 1024);
    ASSERT_GT(chunks.size(), 2u) << type;
    const std::size_t size = static_cast<std::size_t>(source_
                                                          .checked({type == "hash"   ? "HLEN"
                                                                    : type == "set"  ? "SCARD"
                                                                    : type == "zset" ? "ZCARD"
                                                                    : type == "list" ? "LLEN"
                                                                                     : "STRLEN",
                                                                    key})
                                                          .integer);

    copy_to_target(key);
    const std::string extra = element(1000);
    if (type == "hash") target_.checked({"HSET", key, "only-on-target", extra});
    if (type == "set") target_.checked({"SADD", key, "only-on-target"});
    if (type == "zset") target_.checked({"ZADD", key, "7", "only-on-target"});
    if (type == "list") target_.checked({"RPUSH", key, extra});
    if (type == "string") target_.checked({"APPEND", key, "!"});
    const ChunkedComparison extended = compare_in_chunks(type, key, chunks);
    EXPECT_FALSE(extended.comparison.equal) << type;
    EXPECT_EQ(extended.chunk, chunks.size() - 1) << type << ": found at the last chunk";
    const std::string sizes = std::to_string(size) + " vs " + std::to_string(size + 1);
    EXPECT_NE(extended.comparison.detail.find(std::to_string(size)), std::string::npos)
        << type << ": " << extended.comparison.detail << " (expected " << sizes << ")";
    EXPECT_NE(extended.comparison.detail.find(std::to_string(size + 1)), std::string::npos)
        << type << ": " << extended.comparison.detail;
    // The whole comparison names the element when it can.
    if (type == "hash") {
      EXPECT_EQ(compare_whole(type, key).detail, "field \"only-on-target\" only on the target");
    }

    target_.checked({"DEL", key});
    const ChunkedComparison missing = compare_in_chunks(type, key, chunks);
    EXPECT_EQ(missing.comparison.detail, "target holds no " + std::string(type));
    EXPECT_EQ(missing.chunk, 0u);

    target_.checked({type == "string" ? "RPUSH" : "SET", key, "another type"});
    const ChunkedComparison wrong_type = compare_in_chunks(type, key, chunks);
    EXPECT_EQ(wrong_type.comparison.detail, "target holds no " + std::string(type));
    EXPECT_EQ(wrong_type.chunk, 0u);
  }
}

TEST_F(DatatypeCompareTest, AHashOf200kFieldsComparesEqualInSmallBoundedChunks) {
  const std::string key = "huge";
  write_value(source_keys_, "hash", key, 200'000);
  write_value(target_keys_, "hash", key, 200'000, /*descending=*/true);
  const std::size_t chunk_bytes = 64 * 1024;
  const std::vector<Record> chunks = source_chunks("hash", key, chunk_bytes);
  EXPECT_GT(chunks.size(), 50u);
  std::size_t fields = 0;
  for (const Record& chunk : chunks) {
    fields += chunk.parts.size() / 2;
    EXPECT_LT(chunk.weight(), 8 * chunk_bytes) << "chunk " << chunk.chunk.index;
  }
  EXPECT_GE(fields, 200'000u);
  const ChunkedComparison chunked = compare_in_chunks("hash", key, chunks);
  EXPECT_TRUE(chunked.comparison.equal) << chunked.comparison.detail;
  EXPECT_EQ(chunked.chunk, chunks.size());

  // One field changed among 200k is found.
  const std::string& field = chunks[chunks.size() / 2].parts[0];
  target_.checked({"HSET", key, field, "changed"});
  const ChunkedComparison changed = compare_in_chunks("hash", key, chunks);
  EXPECT_FALSE(changed.comparison.equal);
  EXPECT_TRUE(changed.comparison.detail.starts_with("field \"" + printable_key(field, 64) + "\""))
      << changed.comparison.detail;
}

// A SCAN-based read may return an element twice while the source rehashes:
// the chunks then hold more elements than the key, which the last chunk's
// size check reports. docs/datatypes.md says so, and that a comparator
// looks again before reporting.
TEST_F(DatatypeCompareTest, AnElementScanReturnedTwiceShowsAsACountAtTheLastChunk) {
  const std::string key = "rehashed";
  write_value(source_keys_, "hash", key, 1000);
  copy_to_target(key);
  std::vector<Record> chunks = source_chunks("hash", key, 1024);
  ASSERT_GT(chunks.size(), 2u);
  std::size_t fields = 0;
  for (const Record& chunk : chunks) fields += chunk.parts.size() / 2;
  Record again = chunks.front();
  again.chunk = {1, false};
  chunks.insert(chunks.begin() + 1, again);

  const ChunkedComparison twice = compare_in_chunks("hash", key, chunks);
  EXPECT_FALSE(twice.comparison.equal);
  EXPECT_EQ(twice.comparison.detail, std::to_string(fields + again.parts.size() / 2) +
                                         " fields vs " + std::to_string(fields));
}

TEST_F(DatatypeCompareTest, BinaryKeysAndElementsAreOrdinaryData) {
  const std::string key = kBinary + ":key";
  source_.checked({"HSET", key, kBinary, kBinary, "plain", std::string(500, '\xff')});
  copy_to_target(key);
  EXPECT_TRUE(compare_whole("hash", key).equal);
  EXPECT_TRUE(compare_in_chunks("hash", key, source_chunks("hash", key, 16)).comparison.equal);

  target_.checked({"HSET", key, kBinary, kBinary + "\n"});
  EXPECT_EQ(compare_whole("hash", key).detail, "field " + kBinaryShown + ": " +
                                                   std::to_string(kBinary.size()) + " bytes vs " +
                                                   std::to_string(kBinary.size() + 1) + " bytes");
  // A long name is cut short in the detail.
  const std::string long_field(5000, 'f');
  source_.checked({"SADD", "members", long_field});
  target_.checked({"SADD", "members", "other"});
  const ValueComparison long_detail = compare_whole("set", "members");
  EXPECT_FALSE(long_detail.equal);
  EXPECT_LT(long_detail.detail.size(), 200u) << long_detail.detail;
}

}  // namespace
}  // namespace riot::test
