// Command encoding: the exact RESP bytes, binary-safe, and a buffer that is
// reused between batches.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/reply_reader.hpp"

namespace riot::redis {
namespace {

using namespace std::string_literals;

TEST(CommandBuffer, EncodesOneCommand) {
  CommandBuffer commands;
  commands.append({"SET", "key", "value"});
  EXPECT_EQ(commands.size(), 1u);
  EXPECT_FALSE(commands.empty());
  EXPECT_EQ(commands.bytes(), "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  EXPECT_EQ(commands.end_offset(0), commands.bytes().size());
}

TEST(CommandBuffer, BinaryAndEmptyArguments) {
  CommandBuffer commands;
  const std::string key = "k\0\r\n\xff"s;
  commands.append({"SET", key, ""});
  EXPECT_EQ(commands.bytes(), "*3\r\n$3\r\nSET\r\n$5\r\nk\0\r\n\xff\r\n$0\r\n\r\n"s);
}

TEST(CommandBuffer, EndOffsetsOfSeveralCommands) {
  CommandBuffer commands;
  commands.append({"PING"});
  const std::vector<std::string_view> args{"GET", "a"};
  commands.append(args);
  commands.append({"DEL", "a", "b"});
  ASSERT_EQ(commands.size(), 3u);
  const std::string expected =
      "*1\r\n$4\r\nPING\r\n"
      "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
      "*3\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n";
  EXPECT_EQ(commands.bytes(), expected);
  EXPECT_EQ(commands.end_offset(0), 14u);
  EXPECT_EQ(commands.end_offset(1), 14u + 20u);
  EXPECT_EQ(commands.end_offset(2), expected.size());
}

TEST(CommandBuffer, ClearKeepsWorkingAndKeepsTheBuffer) {
  CommandBuffer commands;
  for (int i = 0; i < 100; ++i) commands.append({"SET", "key:" + std::to_string(i), "v"});
  const char* storage = commands.bytes().data();
  commands.clear();
  EXPECT_TRUE(commands.empty());
  EXPECT_EQ(commands.size(), 0u);
  EXPECT_TRUE(commands.bytes().empty());

  commands.append({"GET", "x"});
  EXPECT_EQ(commands.bytes(), "*2\r\n$3\r\nGET\r\n$1\r\nx\r\n");
  EXPECT_EQ(commands.end_offset(0), commands.bytes().size());
  // The capacity survived clear(): the same memory holds the new batch.
  EXPECT_EQ(commands.bytes().data(), storage);
}

TEST(CommandBuffer, RejectsACommandWithoutArguments) {
  CommandBuffer commands;
  EXPECT_THROW(commands.append(std::span<const std::string_view>{}), std::invalid_argument);
  EXPECT_TRUE(commands.empty());
}

// A request is an array of bulk strings, which the reply parser reads back:
// random binary arguments survive the round trip byte for byte.
TEST(CommandBuffer, RandomBinaryArgumentsRoundTrip) {
  std::mt19937 random(42);
  std::vector<std::vector<std::string>> sent;
  CommandBuffer commands;
  for (int command = 0; command < 200; ++command) {
    std::vector<std::string> args(1 + random() % 5);
    for (auto& arg : args) {
      arg.resize(random() % 40);
      for (auto& byte : arg) byte = static_cast<char>(random() & 0xff);
    }
    const std::vector<std::string_view> views(args.begin(), args.end());
    commands.append(views);
    sent.push_back(std::move(args));
  }
  ReplyReader reader;
  reader.feed(commands.bytes());
  Reply request;
  for (const auto& args : sent) {
    ASSERT_TRUE(reader.next(request));
    ASSERT_EQ(request.elements.size(), args.size());
    for (std::size_t i = 0; i < args.size(); ++i) EXPECT_EQ(request.elements[i].str, args[i]);
  }
  EXPECT_FALSE(reader.next(request));
}

}  // namespace
}  // namespace riot::redis
