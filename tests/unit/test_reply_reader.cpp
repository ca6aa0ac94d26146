// The RESP parser on its own: replies split anywhere, nested, binary, and
// malformed streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "riot/redis/errors.hpp"
#include "riot/redis/reply_reader.hpp"

namespace riot::redis {
namespace {

using namespace std::string_literals;

// An unambiguous rendering of a reply tree, so that a mismatch shows where.
std::string render(const Reply& reply) {
  switch (reply.type) {
    case ReplyType::string:
      return "$" + std::to_string(reply.str.size()) + ":" + reply.str;
    case ReplyType::status:
      return "+" + reply.str;
    case ReplyType::error:
      return "-" + reply.str;
    case ReplyType::integer:
      return ":" + std::to_string(reply.integer);
    case ReplyType::nil:
      return "nil";
    case ReplyType::array: {
      std::string out = "[";
      for (const auto& element : reply.elements) out += render(element) + ",";
      return out + "]";
    }
  }
  return "?";
}

std::vector<std::string> render_all(const std::vector<Reply>& replies) {
  std::vector<std::string> out;
  for (const auto& reply : replies) out.push_back(render(reply));
  return out;
}

// Feeds `parts` in turn, collecting every reply as soon as it is complete.
std::vector<Reply> parse(const std::vector<std::string_view>& parts) {
  ReplyReader reader;
  std::vector<Reply> replies;
  Reply reply;
  for (const auto part : parts) {
    reader.feed(part);
    while (reader.next(reply)) replies.push_back(std::move(reply));
  }
  return replies;
}

Reply text(ReplyType type, std::string value) {
  Reply reply;
  reply.type = type;
  reply.str = std::move(value);
  return reply;
}
Reply bulk(std::string value) {
  return text(ReplyType::string, std::move(value));
}
Reply integer(std::int64_t value) {
  Reply reply;
  reply.type = ReplyType::integer;
  reply.integer = value;
  return reply;
}
Reply nil() {
  return Reply{};
}
Reply array(std::vector<Reply> elements) {
  Reply reply;
  reply.type = ReplyType::array;
  reply.elements = std::move(elements);
  return reply;
}

// Every kind of reply, with the edge cases of each.
const std::string kStream =
    "+OK\r\n"
    "-ERR wrong number of arguments\r\n"
    ":0\r\n"
    ":-42\r\n"
    ":9223372036854775807\r\n"
    ":-9223372036854775808\r\n"
    "$0\r\n\r\n"
    "$-1\r\n"
    "*-1\r\n"
    "*0\r\n"
    "$9\r\n\0\r\n\xff\x01\r\n\0\xfe\r\n"s
    "*3\r\n*2\r\n:1\r\n$-1\r\n*0\r\n*2\r\n+QUEUED\r\n*1\r\n$1\r\nx\r\n"
    "*4\r\n$1\r\na\r\n*-1\r\n-WRONGTYPE bad\r\n$3\r\nend\r\n";

std::vector<std::string> expected_stream() {
  return render_all({
      text(ReplyType::status, "OK"),
      text(ReplyType::error, "ERR wrong number of arguments"),
      integer(0),
      integer(-42),
      integer(INT64_MAX),
      integer(INT64_MIN),
      bulk(""),
      nil(),
      nil(),
      array({}),
      bulk("\0\r\n\xff\x01\r\n\0\xfe"s),
      array({array({integer(1), nil()}), array({}),
             array({text(ReplyType::status, "QUEUED"), array({bulk("x")})})}),
      array({bulk("a"), nil(), text(ReplyType::error, "WRONGTYPE bad"), bulk("end")}),
  });
}

TEST(ReplyReader, ParsesEveryKindOfReply) {
  const auto replies = parse({kStream});
  EXPECT_EQ(render_all(replies), expected_stream());
  ASSERT_EQ(replies.size(), 13u);
  EXPECT_TRUE(replies[0].is_status());
  EXPECT_TRUE(replies[1].is_error());
  EXPECT_TRUE(replies[3].is_integer());
  EXPECT_TRUE(replies[6].is_string());
  EXPECT_TRUE(replies[7].is_nil());  // nil bulk
  EXPECT_TRUE(replies[8].is_nil());  // nil array
  EXPECT_TRUE(replies[9].is_array());
  EXPECT_EQ(replies[10].str.size(), 9u);
}

TEST(ReplyReader, SplitAtEveryByteBoundary) {
  const auto expected = expected_stream();
  for (std::size_t split = 0; split <= kStream.size(); ++split) {
    const std::string_view whole(kStream);
    EXPECT_EQ(render_all(parse({whole.substr(0, split), whole.substr(split)})), expected)
        << "split at byte " << split;
  }
}

TEST(ReplyReader, OneByteAtATime) {
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < kStream.size(); ++i)
    bytes.push_back(std::string_view(kStream).substr(i, 1));
  EXPECT_EQ(render_all(parse(bytes)), expected_stream());
}

TEST(ReplyReader, ReportsNothingUntilAReplyIsComplete) {
  ReplyReader reader;
  Reply reply;
  EXPECT_FALSE(reader.next(reply));
  reader.feed("*2\r\n$5\r\nhel");
  EXPECT_FALSE(reader.next(reply));
  reader.feed("lo\r\n:7");
  EXPECT_FALSE(reader.next(reply));
  reader.feed("\r\n+NEXT\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), "[$5:hello,:7,]");
  // The next reply starts afresh: nothing of the array leaks into it.
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), "+NEXT");
  EXPECT_TRUE(reply.elements.empty());
  EXPECT_FALSE(reader.next(reply));
}

TEST(ReplyReader, DeeplyNestedArrays) {
  // Seven levels: as deep as hiredis 0.14 goes.
  std::string stream;
  for (int level = 0; level < 7; ++level) stream += "*2\r\n:" + std::to_string(level) + "\r\n";
  stream += "$4\r\nleaf\r\n";
  const auto replies = parse({stream});
  ASSERT_EQ(replies.size(), 1u);
  const Reply* node = &replies[0];
  for (int level = 0; level < 7; ++level) {
    ASSERT_TRUE(node->is_array());
    ASSERT_EQ(node->elements.size(), 2u);
    EXPECT_EQ(node->elements[0].integer, level);
    node = &node->elements[1];
  }
  EXPECT_EQ(node->str, "leaf");
}

TEST(ReplyReader, LargeBinaryBulkInChunks) {
  std::mt19937 random(7);
  std::string value(3 * 1024 * 1024 + 17, '\0');
  for (auto& byte : value) byte = static_cast<char>(random() & 0xff);
  const std::string stream = "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n:1\r\n";
  std::vector<std::string_view> chunks;
  for (std::size_t at = 0; at < stream.size(); at += 65536)
    chunks.push_back(std::string_view(stream).substr(at, 65536));
  const auto replies = parse(chunks);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_TRUE(replies[0].is_string());
  EXPECT_TRUE(replies[0].str == value);
  EXPECT_EQ(replies[1].integer, 1);
}

TEST(ReplyReader, ArrayWithManyElements) {
  std::string stream = "*100000\r\n";
  for (int i = 0; i < 100000; ++i) stream += ":" + std::to_string(i) + "\r\n";
  const auto replies = parse({stream});
  ASSERT_EQ(replies.size(), 1u);
  ASSERT_EQ(replies[0].elements.size(), 100000u);
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(replies[0].elements[i].integer, i);
}

// The ProtocolError message of the reader given `stream`.
std::string protocol_error(const std::string& stream) {
  ReplyReader reader("target 127.0.0.1:6380");
  Reply reply;
  try {
    reader.feed(stream);
    while (reader.next(reply)) {
    }
  } catch (const ProtocolError& error) {
    EXPECT_EQ(error.endpoint(), "target 127.0.0.1:6380");
    return error.what();
  }
  ADD_FAILURE() << "no ProtocolError";
  return {};
}

TEST(ReplyReader, MalformedStreams) {
  EXPECT_EQ(protocol_error("+OK\r\n?what\r\n"),
            "target 127.0.0.1:6380: malformed reply (Protocol error, got \"?\" as reply type "
            "byte)");
  EXPECT_NE(protocol_error(":12a\r\n").find("malformed reply (Bad integer value)"),
            std::string::npos);
  EXPECT_NE(protocol_error("$abc\r\n").find("malformed reply (Bad bulk string length)"),
            std::string::npos);
  EXPECT_NE(protocol_error("*-5\r\n").find("malformed reply (Multi-bulk length out of range)"),
            std::string::npos);
  // Inside an array, with part of the tree already built.
  EXPECT_NE(protocol_error("*3\r\n$1\r\na\r\n*2\r\n:1\r\n!\r\n").find("malformed reply"),
            std::string::npos);
}

TEST(ReplyReader, StaysFailedUntilReset) {
  ReplyReader reader;
  Reply reply;
  reader.feed("*2\r\n:1\r\n%bad\r\n");
  EXPECT_THROW(reader.next(reply), ProtocolError);
  EXPECT_THROW(reader.feed("+OK\r\n"), ProtocolError);
  EXPECT_THROW(reader.next(reply), ProtocolError);
  reader.reset();
  reader.feed("+OK\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), "+OK");
}

TEST(ReplyReader, ResetDropsAPartialReply) {
  ReplyReader reader;
  Reply reply;
  reader.feed("*3\r\n:1\r\n$10\r\nabc");
  EXPECT_FALSE(reader.next(reply));
  reader.reset();
  reader.feed(":5\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), ":5");
  EXPECT_FALSE(reader.next(reply));
}

// A reader destroyed with half an array inside frees it (checked by the
// sanitizer builds).
TEST(ReplyReader, DestroyedWithAPartialReply) {
  ReplyReader reader;
  Reply reply;
  reader.feed("*2\r\n*2\r\n$3\r\nabc\r\n");
  EXPECT_FALSE(reader.next(reply));
}

// --- Large bulk strings, read past hiredis ----------------------------------

std::string random_value(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string value(size, '\0');
  for (auto& byte : value) byte = static_cast<char>(random() & 0xff);
  return value;
}

std::string bulk_of(const std::string& value) {
  return "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n";
}

// Large bulks at the top level (read into their string directly), one
// inside an array (parsed by hiredis), small replies around them, and a
// bulk whose body holds CRLF and "$" where a header could be mistaken.
struct BigStream {
  std::string first = random_value(ReplyReader::kDirectBulk + 3, 1);
  std::string second = "\r\n$12\r\n" + random_value(ReplyReader::kDirectBulk, 2) + "\r\n";
  std::string in_array = random_value(ReplyReader::kDirectBulk * 2, 3);
  std::string bytes = "+OK\r\n" + bulk_of(first) + ":7\r\n" + bulk_of(second) + bulk_of(second) +
                      "*2\r\n" + bulk_of(in_array) + ":1\r\n" + "$-1\r\n" + bulk_of("small");
  // Where a split is worth trying at every byte: around each reply's start,
  // each header's end and each body's end.
  std::vector<std::size_t> boundaries() const {
    std::vector<std::size_t> marks;
    for (std::size_t at = bytes.find("\r\n"); at != std::string::npos;
         at = bytes.find("\r\n", at + 1)) {
      if (marks.size() > 200) break;
      marks.push_back(at);
    }
    const std::size_t first_body = bytes.find(first);
    marks.push_back(first_body + first.size());
    const std::size_t second_body = bytes.find(second);
    marks.push_back(second_body + second.size());
    marks.push_back(bytes.find(second, second_body + 1) + second.size());
    return marks;
  }
  std::vector<std::string> expected() const {
    return render_all({text(ReplyType::status, "OK"), bulk(first), integer(7), bulk(second),
                       bulk(second), array({bulk(in_array), integer(1)}), nil(), bulk("small")});
  }
};

TEST(ReplyReader, LargeBulkSplitAnywhereAroundItsBoundaries) {
  const BigStream stream;
  const std::string_view whole(stream.bytes);
  const auto expected = stream.expected();
  std::vector<std::size_t> splits;
  for (const std::size_t mark : stream.boundaries()) {
    for (std::size_t at = mark > 12 ? mark - 12 : 0; at <= mark + 12 && at <= whole.size(); ++at)
      splits.push_back(at);
  }
  for (std::size_t at = 0; at <= whole.size(); at += 4099) splits.push_back(at);
  for (const std::size_t split : splits) {
    ASSERT_EQ(render_all(parse({whole.substr(0, split), whole.substr(split)})), expected)
        << "split at byte " << split;
  }
}

TEST(ReplyReader, LargeBulkInSlicesOfEverySize) {
  const BigStream stream;
  const std::string_view whole(stream.bytes);
  for (const std::size_t slice : {1u, 2u, 3u, 5u, 4096u, 65536u, 1u << 20}) {
    std::vector<std::string_view> parts;
    for (std::size_t at = 0; at < whole.size(); at += slice)
      parts.push_back(whole.substr(at, slice));
    ASSERT_EQ(render_all(parse(parts)), stream.expected()) << "slices of " << slice << " bytes";
  }
}

// What ReplyStream does once a large bulk started: the body is received
// into direct_space(), announced with received_directly().
TEST(ReplyReader, LargeBulkBodyReceivedDirectly) {
  const std::string value = random_value(ReplyReader::kDirectBulk * 3 + 1, 4);
  const std::string header = "$" + std::to_string(value.size()) + "\r\n";
  ReplyReader reader;
  Reply reply;
  EXPECT_TRUE(reader.direct_space().empty()) << "nothing started";
  reader.feed("+OK\r\n" + header + value.substr(0, 100));
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), "+OK");
  EXPECT_FALSE(reader.next(reply)) << "the bulk is incomplete";
  std::size_t filled = 100;
  while (filled < value.size()) {
    const std::span<char> space = reader.direct_space();
    ASSERT_EQ(space.size(), value.size() - filled);
    const std::size_t count = std::min<std::size_t>(space.size(), 7000);
    std::memcpy(space.data(), value.data() + filled, count);
    reader.received_directly(count);
    filled += count;
    EXPECT_FALSE(reader.next(reply));
  }
  EXPECT_TRUE(reader.direct_space().empty()) << "the trailer comes by feed()";
  reader.feed("\r");
  EXPECT_FALSE(reader.next(reply));
  reader.feed("\n:3\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_TRUE(reply.is_string());
  EXPECT_TRUE(reply.str == value);
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), ":3");
  EXPECT_FALSE(reader.next(reply));
}

TEST(ReplyReader, LargeBulkWithoutItsCrlfIsMalformedUntilReset) {
  const std::string value(ReplyReader::kDirectBulk, 'v');
  ReplyReader reader;
  Reply reply;
  reader.feed("$" + std::to_string(value.size()) + "\r\n" + value.substr(0, 10));
  EXPECT_FALSE(reader.next(reply));
  EXPECT_THROW(reader.feed(value.substr(10) + "XY"), ProtocolError);
  EXPECT_THROW(reader.next(reply), ProtocolError);
  EXPECT_THROW(reader.feed("+OK\r\n"), ProtocolError);
  reader.reset();
  reader.feed("+OK\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), "+OK");
}

TEST(ReplyReader, ResetDropsAHalfReceivedLargeBulk) {
  ReplyReader reader;
  Reply reply;
  reader.feed("$" + std::to_string(ReplyReader::kDirectBulk * 2) + "\r\nabc");
  EXPECT_FALSE(reader.next(reply));
  EXPECT_FALSE(reader.direct_space().empty());
  reader.reset();
  EXPECT_TRUE(reader.direct_space().empty());
  reader.feed(":5\r\n");
  ASSERT_TRUE(reader.next(reply));
  EXPECT_EQ(render(reply), ":5");
}

}  // namespace
}  // namespace riot::redis
