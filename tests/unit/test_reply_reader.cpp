// The RESP parser on its own: replies split anywhere, nested, binary, and
// malformed streams.
#include <gtest/gtest.h>

#include <random>
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

}  // namespace
}  // namespace riot::redis
