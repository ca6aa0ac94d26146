// The core datatypes' encoding, decoding and comparison (whole and chunk by
// chunk), and the staging key names of chunked overwrites, checked without a
// server: what a reply of a given shape becomes, and which commands a value
// becomes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "struct/bounded_commands.hpp"
#include "struct/chunk_steps.hpp"
#include "struct/difference_details.hpp"
#include "struct/hash_datatype.hpp"
#include "struct/list_datatype.hpp"
#include "struct/set_datatype.hpp"
#include "struct/string_datatype.hpp"
#include "struct/zset_datatype.hpp"
#include "values/staging_key.hpp"

namespace riot::struct_plugin {
namespace {

redis::Reply bulk(std::string text) {
  redis::Reply reply;
  reply.type = redis::ReplyType::string;
  reply.str = std::move(text);
  return reply;
}

redis::Reply integer(std::int64_t value) {
  redis::Reply reply;
  reply.type = redis::ReplyType::integer;
  reply.integer = value;
  return reply;
}

redis::Reply error(std::string text) {
  redis::Reply reply;
  reply.type = redis::ReplyType::error;
  reply.str = std::move(text);
  return reply;
}

redis::Reply array(std::vector<redis::Reply> elements) {
  redis::Reply reply;
  reply.type = redis::ReplyType::array;
  reply.elements = std::move(elements);
  return reply;
}

Record value_of(std::vector<std::string> parts) {
  Record record;
  record.kind = RecordKind::value;
  record.parts = std::move(parts);
  return record;
}

// The RESP of one command, for comparing what was appended.
std::string resp(std::initializer_list<std::string_view> args) {
  redis::CommandBuffer buffer;
  buffer.append(args);
  return buffer.flatten();
}

TEST(StagingKey, EverySlotHasATagThatHashesToIt) {
  for (std::uint16_t slot = 0; slot < redis::cluster::kSlotCount; ++slot) {
    const std::string_view tag = values::slot_tag(slot);
    ASSERT_FALSE(tag.empty()) << slot;
    ASSERT_EQ(tag.find_first_of("{}"), std::string_view::npos);
    ASSERT_EQ(redis::cluster::key_slot(tag), slot);
  }
}

TEST(StagingKey, LandsInTheSlotOfAnyKey) {
  const std::vector<std::string> keys{"plain",          "{user}:1",    std::string("\0\r\n\xff", 4),
                                      "}{odd{}braces}", "{}empty-tag", ""};
  for (const std::string& key : keys) {
    const std::string staging = values::staging_key(key, "0badcafe");
    EXPECT_EQ(redis::cluster::key_slot(staging), redis::cluster::key_slot(key)) << staging;
    EXPECT_NE(staging.find("riot:staging:0badcafe:" + key), std::string::npos);
  }
}

TEST(BoundedCommands, SplitsManyElementsKeepingTheirOrder) {
  std::vector<std::string> parts;
  for (int i = 0; i < 1300; ++i) {
    parts.push_back("m" + std::to_string(i));
    parts.push_back(std::to_string(i));
  }
  redis::KeyedCommands commands;
  EXPECT_EQ(append_bounded(commands, "ZADD", "z", parts, 2, ElementOrder::reversed), 3u);
  ASSERT_EQ(commands.size(), 3u);
  // 512 + 512 + 276 elements: 2 + 2 * count arguments each.
  EXPECT_EQ(commands.encoded(0).substr(0, 6), "*1026\r");
  EXPECT_EQ(commands.encoded(2).substr(0, 5), "*554\r");
  EXPECT_NE(commands.encoded(2).find("$5\r\nm1299\r\n"), std::string::npos);
  EXPECT_NE(commands.encoded(0).find("$1\r\n0\r\n$2\r\nm0\r\n"), std::string::npos)
      << "ZADD takes the score first";
}

TEST(BoundedCommands, NoPartsNoCommand) {
  redis::KeyedCommands commands;
  EXPECT_EQ(append_bounded(commands, "SADD", "s", {}, 1), 0u);
  EXPECT_TRUE(commands.empty());
}

TEST(ChunkSteps, AdaptToElementSizeAndGrowBoundedly) {
  // 16 elements of 1 KiB in a 64 KiB chunk: 64 fit, growth allows 128.
  EXPECT_EQ(next_step(16, 16, 16 * 1024, 64 * 1024), 64u);
  // Tiny elements: at most eightfold per chunk.
  EXPECT_EQ(next_step(16, 16, 16, 1 << 20), 128u);
  // Huge elements: one at a time.
  EXPECT_EQ(next_step(16, 16, 16 << 20, 1 << 20), 1u);
  // A page with nothing in it: grow.
  EXPECT_EQ(next_step(10, 0, 0, 1 << 20), 80u);
  EXPECT_LE(next_step(kLargestStep, 1, 1, 1 << 30), kLargestStep);
}

TEST(StringDatatype, ChunksEndAtTheLengthAndTellAKeyGone) {
  const StringDatatype datatype;
  ChunkCursor cursor;
  Record record;
  std::vector<redis::Reply> replies{bulk("abcd"), integer(6), integer(1)};
  ASSERT_EQ(datatype.decode_chunk_read(replies, cursor, 4, record), ReadStatus::value);
  EXPECT_EQ(record.parts, std::vector<std::string>{"abcd"});
  EXPECT_FALSE(cursor.done);
  replies = {bulk("ef"), integer(6), integer(1)};
  ASSERT_EQ(datatype.decode_chunk_read(replies, cursor, 4, record), ReadStatus::value);
  EXPECT_TRUE(cursor.done);
  EXPECT_EQ(cursor.read, 6u);

  ChunkCursor fresh;
  replies = {bulk(""), integer(0), integer(0)};
  EXPECT_EQ(datatype.decode_chunk_read(replies, fresh, 4, record), ReadStatus::gone);
  // An empty string is a value, not a key gone.
  replies = {bulk(""), integer(0), integer(1)};
  ASSERT_EQ(datatype.decode_chunk_read(replies, fresh, 4, record), ReadStatus::value);
  EXPECT_TRUE(fresh.done);
  EXPECT_EQ(record.parts, std::vector<std::string>{""});
  ChunkCursor another;
  replies = {error("WRONGTYPE Operation against a key holding the wrong kind of value"),
             error("WRONGTYPE Operation against a key holding the wrong kind of value"),
             integer(1)};
  EXPECT_EQ(datatype.decode_chunk_read(replies, another, 4, record), ReadStatus::wrong_type);
}

TEST(StringDatatype, FirstChunkSetsTheRestAppend) {
  const StringDatatype datatype;
  Record record = value_of({"bytes"});
  record.chunk = {0, false};
  redis::KeyedCommands commands;
  ASSERT_EQ(datatype.append_write(record, "k", {}, commands), 1u);
  EXPECT_EQ(commands.encoded(0), resp({"SET", "k", "bytes", "KEEPTTL"}));
  record.chunk = {1, true};
  ASSERT_EQ(datatype.append_write(record, "k", {}, commands), 1u);
  EXPECT_EQ(commands.encoded(1), resp({"APPEND", "k", "bytes"}));
  ASSERT_EQ(datatype.append_replace(value_of({"v"}), "k", 1500, commands), 1u);
  EXPECT_EQ(commands.encoded(2), resp({"SET", "k", "v", "PX", "1500"}));
}

TEST(HashDatatype, ReadsPagesUntilTheCursorComesBack) {
  const HashDatatype datatype;
  ChunkCursor cursor;
  Record record;
  std::vector<redis::Reply> replies{array({bulk("17"), array({bulk("f"), bulk("v")})}), integer(1)};
  ASSERT_EQ(datatype.decode_chunk_read(replies, cursor, 1024, record), ReadStatus::value);
  EXPECT_EQ(record.parts, (std::vector<std::string>{"f", "v"}));
  EXPECT_EQ(cursor.position, "17");
  EXPECT_FALSE(cursor.done);
  replies = {array({bulk("0"), array({})}), integer(1)};
  ASSERT_EQ(datatype.decode_chunk_read(replies, cursor, 1024, record), ReadStatus::value);
  EXPECT_TRUE(cursor.done);
  EXPECT_TRUE(record.parts.empty());
  // The same empty last page for a key gone: EXISTS tells them apart.
  ChunkCursor fresh;
  replies = {array({bulk("0"), array({})}), integer(0)};
  EXPECT_EQ(datatype.decode_chunk_read(replies, fresh, 1024, record), ReadStatus::gone);
}

TEST(HashDatatype, WholeReadOfNothingIsAKeyGoneAndOddRepliesThrow) {
  const HashDatatype datatype;
  Record record;
  std::vector<redis::Reply> replies{array({})};
  EXPECT_EQ(datatype.decode_read(replies, record), ReadStatus::gone);
  replies = {array({bulk("field-without-value")})};
  EXPECT_THROW(datatype.decode_read(replies, record), redis::ReplyError);
  replies = {integer(3)};
  EXPECT_THROW(datatype.decode_read(replies, record), redis::ReplyError);
}

redis::Reply nil() {
  redis::Reply reply;
  reply.type = redis::ReplyType::nil;
  return reply;
}

const std::string kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";

Record last_chunk(std::vector<std::string> parts) {
  Record record = value_of(std::move(parts));
  record.chunk = {1, true};
  return record;
}

Record middle_chunk(std::vector<std::string> parts) {
  Record record = value_of(std::move(parts));
  record.chunk = {0, false};
  return record;
}

TEST(DifferenceDetails, QuoteEscapedAndShortAndTellSizesBeforeBytes) {
  EXPECT_EQ(quoted_name(std::string("a\0\r\n\xff", 5)), "\"a\\x00\\r\\n\\xff\"");
  EXPECT_LT(quoted_name(std::string(1000, 'f')).size(), 80u);
  EXPECT_EQ(bytes_difference("abc", "abc"), "");
  EXPECT_EQ(bytes_difference("abcde", "abcdefg"), "5 bytes vs 7 bytes");
  EXPECT_EQ(bytes_difference("abcd", "abXd"), "byte 2 differs");
  EXPECT_EQ(first_differing_byte("abc", "abcd"), 3u);
  EXPECT_EQ(first_differing_byte("", ""), 0u);
  EXPECT_EQ(string_difference(3, 10, false, 12), "byte 3 differs, at least 10 bytes vs 12 bytes");
  EXPECT_EQ(length_difference(10, true, 9), "length 10 vs 9");
}

TEST(CollectionComparison, IgnoresOrderAndNamesTheFirstDifferingField) {
  const HashDatatype hash;
  EXPECT_TRUE(hash.compare(value_of({"a", "1", "b", "2"}), value_of({"b", "2", "a", "1"})).equal);
  const ValueComparison value = hash.compare(value_of({"a", "1"}), value_of({"a", "123"}));
  EXPECT_FALSE(value.equal);
  EXPECT_EQ(value.detail, "field \"a\": 1 bytes vs 3 bytes");
  EXPECT_EQ(hash.compare(value_of({"a", "xyz"}), value_of({"a", "xqz"})).detail,
            "field \"a\": byte 1 differs");
  EXPECT_EQ(hash.compare(value_of({"a", "1", "f9", "2"}), value_of({"a", "1"})).detail,
            "field \"f9\" missing on the target");
  EXPECT_EQ(hash.compare(value_of({"a", "1"}), value_of({"a", "1", "x", "2"})).detail,
            "field \"x\" only on the target");
  EXPECT_EQ(hash.compare(value_of({std::string("\0\xff", 2), "1"}), value_of({"a", "1"})).detail,
            "field \"\\x00\\xff\" missing on the target");

  const SetDatatype set;
  EXPECT_TRUE(set.compare(value_of({"x", "y"}), value_of({"y", "x"})).equal);
  EXPECT_EQ(set.compare(value_of({"x", "y"}), value_of({"y", "z"})).detail,
            "member \"x\" missing on the target");
  EXPECT_EQ(set.compare(value_of({"x"}), value_of({"x", "w"})).detail,
            "member \"w\" only on the target");
}

TEST(CollectionComparison, ZsetScoresCompareAsNumbers) {
  const ZsetDatatype zset;
  EXPECT_TRUE(zset.compare(value_of({"m", "1", "n", "inf", "o", "-inf", "p", "0.5"}),
                           value_of({"n", "+inf", "m", "1.0", "p", "5e-1", "o", "-inf"}))
                  .equal);
  EXPECT_EQ(zset.compare(value_of({"m", "1.5"}), value_of({"m", "2"})).detail,
            "member \"m\": score 1.5 vs 2");
  EXPECT_EQ(zset.compare(value_of({"m", "inf"}), value_of({"m", "-inf"})).detail,
            "member \"m\": score inf vs -inf");
  EXPECT_EQ(zset.compare(value_of({"m", "1"}), value_of({"n", "1"})).detail,
            "member \"m\" missing on the target");
}

TEST(ListComparison, OrderMattersFirstDifferingIndexThenLength) {
  const ListDatatype list;
  EXPECT_TRUE(list.compare(value_of({"a", "b"}), value_of({"a", "b"})).equal);
  EXPECT_EQ(list.compare(value_of({"a", "b"}), value_of({"b", "a"})).detail, "index 0 differs");
  EXPECT_EQ(list.compare(value_of({"a"}), value_of({"a", "b"})).detail, "length 1 vs 2");
  EXPECT_EQ(list.compare(value_of({"a", "b", "c"}), value_of({"a", "x"})).detail,
            "index 1 differs");
}

TEST(StringComparison, NamesTheFirstDifferingByteAndBothLengths) {
  const StringDatatype string;
  EXPECT_TRUE(string.compare(value_of({"same"}), value_of({"same"})).equal);
  EXPECT_EQ(string.compare(value_of({"abcdef"}), value_of({"abXdef"})).detail,
            "byte 2 differs, 6 bytes vs 6 bytes");
  EXPECT_EQ(string.compare(value_of({"abc"}), value_of({"abcde"})).detail,
            "byte 3 differs, 3 bytes vs 5 bytes");
}

TEST(SizeCommands, OnePerType) {
  redis::KeyedCommands commands;
  EXPECT_EQ(StringDatatype().append_size("k", commands), 1u);
  EXPECT_EQ(HashDatatype().append_size("k", commands), 1u);
  EXPECT_EQ(ListDatatype().append_size("k", commands), 1u);
  EXPECT_EQ(SetDatatype().append_size("k", commands), 1u);
  EXPECT_EQ(ZsetDatatype().append_size("k", commands), 1u);
  const std::vector<std::string_view> verbs{"STRLEN", "HLEN", "LLEN", "SCARD", "ZCARD"};
  for (std::size_t i = 0; i < verbs.size(); ++i)
    EXPECT_EQ(commands.encoded(i), resp({verbs[i], "k"}));
  EXPECT_EQ(HashDatatype().decode_size(integer(7)), 7);
  EXPECT_FALSE(HashDatatype().decode_size(error(kWrongType)).has_value());
}

TEST(CollectionProbe, LooksNamesUpInBoundedCommandsWithTheSize) {
  std::vector<std::string> members;
  for (int i = 0; i < 600; ++i) members.push_back("m" + std::to_string(i));
  const SetDatatype set;
  redis::KeyedCommands commands;
  ASSERT_EQ(set.append_chunk_probe(value_of(members), {}, "s", commands), 3u);
  EXPECT_EQ(commands.encoded(0).substr(0, 6), "*514\r\n");  // SMISMEMBER s + 512 members
  EXPECT_NE(commands.encoded(0).find("SMISMEMBER"), std::string::npos);
  EXPECT_EQ(commands.encoded(2), resp({"SCARD", "s"}));

  const HashDatatype hash;
  commands.clear();
  ASSERT_EQ(hash.append_chunk_probe(value_of({"f", "v", "g", "w"}), {}, "h", commands), 2u);
  EXPECT_EQ(commands.encoded(0), resp({"HMGET", "h", "f", "g"}));
  // An empty SCAN page asks for the size only.
  commands.clear();
  ASSERT_EQ(hash.append_chunk_probe(value_of({}), {}, "h", commands), 1u);
}

TEST(CollectionProbe, FindsMissingValuesTypesAndExtraElements) {
  const HashDatatype hash;
  ChunkProbe probe;
  std::vector<redis::Reply> replies{array({bulk("v"), bulk("w")}), integer(3)};
  EXPECT_TRUE(hash.decode_chunk_probe(replies, middle_chunk({"f", "v", "g", "w"}), probe).equal);
  EXPECT_EQ(probe.elements, 2u);
  replies = {array({bulk("x")}), integer(3)};
  EXPECT_TRUE(hash.decode_chunk_probe(replies, last_chunk({"h", "x"}), probe).equal);
  EXPECT_EQ(probe.elements, 3u);

  ChunkProbe extra;
  replies = {array({bulk("v")}), integer(2)};
  EXPECT_EQ(hash.decode_chunk_probe(replies, last_chunk({"f", "v"}), extra).detail,
            "1 fields vs 2");
  ChunkProbe fresh;
  replies = {array({nil()}), integer(4)};
  EXPECT_EQ(hash.decode_chunk_probe(replies, middle_chunk({"f9", "v"}), fresh).detail,
            "field \"f9\" missing on the target");
  replies = {array({bulk("1234567")}), integer(4)};
  EXPECT_EQ(hash.decode_chunk_probe(replies, middle_chunk({"f2", "12345"}), fresh).detail,
            "field \"f2\": 5 bytes vs 7 bytes");
  replies = {array({nil()}), integer(0)};
  EXPECT_EQ(hash.decode_chunk_probe(replies, middle_chunk({"f", "v"}), fresh).detail,
            "target holds no hash");
  replies = {error(kWrongType), error(kWrongType)};
  EXPECT_EQ(hash.decode_chunk_probe(replies, middle_chunk({"f", "v"}), fresh).detail,
            "target holds no hash");
  replies = {error("ERR unknown command 'HMGET'"), integer(1)};
  EXPECT_THROW(hash.decode_chunk_probe(replies, middle_chunk({"f", "v"}), fresh),
               redis::ReplyError);

  const SetDatatype set;
  replies = {array({integer(1), integer(0)}), integer(5)};
  EXPECT_EQ(set.decode_chunk_probe(replies, middle_chunk({"a", "b"}), fresh).detail,
            "member \"b\" missing on the target");

  const ZsetDatatype zset;
  replies = {array({bulk("1"), bulk("inf")}), integer(2)};
  ChunkProbe scores;
  EXPECT_TRUE(
      zset.decode_chunk_probe(replies, last_chunk({"a", "1.0", "b", "+inf"}), scores).equal);
  replies = {array({bulk("2")}), integer(2)};
  EXPECT_EQ(zset.decode_chunk_probe(replies, middle_chunk({"m", "1.5"}), fresh).detail,
            "member \"m\": score 1.5 vs 2");
}

TEST(ListProbe, ReadsTheSameIndexRangeAndChecksTheLengthAtTheEnd) {
  const ListDatatype list;
  ChunkProbe probe{.elements = 10};
  redis::KeyedCommands commands;
  ASSERT_EQ(list.append_chunk_probe(value_of({"a", "b"}), probe, "l", commands), 2u);
  EXPECT_EQ(commands.encoded(0), resp({"LRANGE", "l", "10", "11"}));
  EXPECT_EQ(commands.encoded(1), resp({"LLEN", "l"}));

  std::vector<redis::Reply> replies{array({bulk("a"), bulk("x")}), integer(12)};
  EXPECT_EQ(list.decode_chunk_probe(replies, middle_chunk({"a", "b"}), probe).detail,
            "index 11 differs");
  replies = {array({bulk("a")}), integer(11)};
  EXPECT_EQ(list.decode_chunk_probe(replies, middle_chunk({"a", "b"}), probe).detail,
            "length at least 12 vs 11");
  replies = {array({bulk("a"), bulk("b")}), integer(13)};
  EXPECT_EQ(list.decode_chunk_probe(replies, last_chunk({"a", "b"}), probe).detail,
            "length 12 vs 13");
  replies = {array({}), integer(0)};
  EXPECT_EQ(list.decode_chunk_probe(replies, middle_chunk({"a", "b"}), probe).detail,
            "target holds no list");
}

TEST(StringProbe, ReadsTheSameByteRangeAndTellsAMissingKey) {
  const StringDatatype string;
  ChunkProbe probe{.elements = 4};
  redis::KeyedCommands commands;
  ASSERT_EQ(string.append_chunk_probe(value_of({"efgh"}), probe, "s", commands), 3u);
  EXPECT_EQ(commands.encoded(0), resp({"GETRANGE", "s", "4", "7"}));

  std::vector<redis::Reply> replies{bulk("efXh"), integer(20), integer(1)};
  EXPECT_EQ(string.decode_chunk_probe(replies, middle_chunk({"efgh"}), probe).detail,
            "byte 6 differs, at least 8 bytes vs 20 bytes");
  replies = {bulk("efgh"), integer(9), integer(1)};
  EXPECT_EQ(string.decode_chunk_probe(replies, last_chunk({"efgh"}), probe).detail,
            "byte 8 differs, 8 bytes vs 9 bytes");
  EXPECT_EQ(probe.elements, 8u);
  replies = {bulk(""), integer(0), integer(0)};
  ChunkProbe fresh;
  EXPECT_EQ(string.decode_chunk_probe(replies, last_chunk({"abc"}), fresh).detail,
            "target holds no string");
}

TEST(ListDatatype, ChunksAskForIndexRangesAndStopAtTheLength) {
  const ListDatatype list;
  ChunkCursor cursor;
  redis::KeyedCommands commands;
  ASSERT_EQ(list.append_chunk_read("l", cursor, 1024, commands), 2u);
  EXPECT_EQ(commands.encoded(0), resp({"LRANGE", "l", "0", std::to_string(kFirstStep - 1)}));
  Record record;
  std::vector<redis::Reply> replies{array({bulk("a"), bulk("b")}), integer(2)};
  ASSERT_EQ(list.decode_chunk_read(replies, cursor, 1024, record), ReadStatus::value);
  EXPECT_TRUE(cursor.done);
  EXPECT_EQ(record.parts, (std::vector<std::string>{"a", "b"}));
}

TEST(ZsetDatatype, ChunksAreIndexRangesInScoreOrder) {
  const ZsetDatatype zset;
  ChunkCursor cursor;
  redis::KeyedCommands commands;
  ASSERT_EQ(zset.append_chunk_read("z", cursor, 1024, commands), 2u);
  EXPECT_EQ(commands.encoded(0),
            resp({"ZRANGE", "z", "0", std::to_string(kFirstStep - 1), "WITHSCORES"}));
  EXPECT_EQ(commands.encoded(1), resp({"ZCARD", "z"}));
  Record record;
  std::vector<redis::Reply> replies{array({bulk("a"), bulk("1"), bulk("b"), bulk("inf")}),
                                    integer(3)};
  ASSERT_EQ(zset.decode_chunk_read(replies, cursor, 1024, record), ReadStatus::value);
  EXPECT_EQ(cursor.read, 2u);
  EXPECT_FALSE(cursor.done);
  replies = {array({bulk("a"), bulk("1"), bulk("odd")}), integer(3)};
  EXPECT_THROW(zset.decode_chunk_read(replies, cursor, 1024, record), redis::ReplyError);
}

}  // namespace
}  // namespace riot::struct_plugin
