// Command encoding: the exact RESP bytes, binary-safe, and a buffer that is
// reused between batches.
#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/reply_reader.hpp"

namespace riot::redis {
namespace {

using namespace std::string_literals;

// The RESP encoding of a command, written the plain way: what hiredis's
// redisFormatCommandArgv produces (hiredis is private to the SDK, so the
// tests compare with this instead; the microbenchmarks check the encoder
// against hiredis itself).
std::string reference_encoding(std::span<const std::string_view> args) {
  std::string encoded = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string_view arg : args) {
    encoded += "$" + std::to_string(arg.size()) + "\r\n";
    encoded.append(arg.data(), arg.size());
    encoded += "\r\n";
  }
  return encoded;
}

std::string random_bytes(std::mt19937& random, std::size_t size) {
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

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

TEST(CommandBuffer, EmptyArguments) {
  CommandBuffer commands;
  commands.append({"ECHO", ""});
  commands.append({"", std::string_view{}, ""});  // a default view has no data pointer
  EXPECT_EQ(commands.bytes(),
            "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            "*3\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n");
  EXPECT_EQ(commands.end_offset(0), 20u);
  EXPECT_EQ(commands.end_offset(1), commands.bytes().size());
}

TEST(CommandBuffer, EveryByteValueInAnArgument) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte.push_back(static_cast<char>(byte));
  CommandBuffer commands;
  commands.append({"SET", "\r\n", every_byte});
  EXPECT_EQ(commands.bytes(), "*3\r\n$3\r\nSET\r\n$2\r\n\r\n\r\n$256\r\n" + every_byte + "\r\n");
}

TEST(CommandBuffer, OneMegabyteArgument) {
  std::mt19937 random(7);
  const std::string payload = random_bytes(random, 1 << 20);
  CommandBuffer commands;
  commands.append({"RESTORE", "key", "0", payload, "REPLACE", "ABSTTL"});
  commands.append({"PTTL", "key"});
  const std::string first = "*6\r\n$7\r\nRESTORE\r\n$3\r\nkey\r\n$1\r\n0\r\n$1048576\r\n" +
                            payload + "\r\n$7\r\nREPLACE\r\n$6\r\nABSTTL\r\n";
  EXPECT_TRUE(commands.bytes() == first + "*2\r\n$4\r\nPTTL\r\n$3\r\nkey\r\n");
  EXPECT_EQ(commands.end_offset(0), first.size());
  EXPECT_EQ(commands.end_offset(1), commands.bytes().size());
}

// Long arguments (DUMP payloads) take another path than short ones: long
// arguments first, last, side by side and between short ones, and lengths
// around any threshold an encoder might pick.
TEST(CommandBuffer, LongAndShortArgumentsMixed) {
  std::mt19937 random(3);
  const std::vector<std::size_t> lengths{0,   1,    9,    10,   99,   100,  511,  512,  513,
                                         999, 1000, 1023, 1024, 1025, 4095, 4096, 4097, 10000};
  CommandBuffer commands;
  std::string expected;
  for (const std::size_t first : lengths) {
    for (const std::size_t second : lengths) {
      const std::string a = random_bytes(random, first);
      const std::string b = random_bytes(random, second);
      const std::vector<std::vector<std::string_view>> shapes{
          {a}, {a, b}, {"CMD", a, b}, {a, "x", b}, {a, b, "tail"}, {b, a, "", a}};
      for (const auto& args : shapes) {
        commands.append(args);
        expected += reference_encoding(args);
        ASSERT_EQ(commands.end_offset(commands.size() - 1), expected.size());
      }
    }
  }
  EXPECT_TRUE(commands.bytes() == expected);
}

TEST(CommandBuffer, EndOffsetsOfManyCommands) {
  CommandBuffer commands;
  std::vector<std::size_t> ends;
  std::string expected;
  const std::string payload(100, 'p');
  for (int i = 0; i < 20000; ++i) {
    const std::string key = "key:" + std::to_string(i);
    const std::string ttl = std::to_string(1700000000000LL + i);
    const std::vector<std::string_view> args =
        i % 2 == 0
            ? std::vector<std::string_view>{"DUMP", key}
            : std::vector<std::string_view>{"RESTORE", key, ttl, payload, "REPLACE", "ABSTTL"};
    commands.append(args);
    expected += reference_encoding(args);
    ends.push_back(expected.size());
  }
  ASSERT_EQ(commands.size(), ends.size());
  for (std::size_t i = 0; i < ends.size(); ++i) ASSERT_EQ(commands.end_offset(i), ends[i]) << i;
  EXPECT_TRUE(commands.bytes() == expected);
}

// append_raw takes encoded commands as they are, among encoded ones.
TEST(CommandBuffer, RawCommandsBetweenEncodedOnes) {
  CommandBuffer source;
  source.append({"GET", "a"});
  source.append({"SET", "b", std::string(3000, 'v')});
  CommandBuffer commands;
  commands.append({"PING"});
  commands.append_raw(source.bytes().substr(source.end_offset(0)));
  commands.append({"DEL", "a"});
  const std::string expected = "*1\r\n$4\r\nPING\r\n"s +
                               std::string(source.bytes().substr(source.end_offset(0))) +
                               "*2\r\n$3\r\nDEL\r\n$1\r\na\r\n";
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_TRUE(commands.bytes() == expected);
  EXPECT_EQ(commands.end_offset(0), 14u);
  EXPECT_EQ(commands.end_offset(1), 14u + source.bytes().size() - source.end_offset(0));
  EXPECT_EQ(commands.end_offset(2), expected.size());
}

// Random commands, batch after batch in one reused buffer, encode exactly as
// the reference does.
TEST(CommandBuffer, RandomCommandsMatchTheReferenceEncoding) {
  std::mt19937 random(1234);
  CommandBuffer commands;
  for (int batch = 0; batch < 20; ++batch) {
    commands.clear();
    std::string expected;
    for (int command = 0; command < 300; ++command) {
      std::vector<std::string> args(1 + random() % 8);
      for (auto& arg : args) {
        const unsigned shape = random() % 16;
        const std::size_t size = shape == 0   ? 0
                                 : shape == 1 ? 900 + random() % 5000  // a long argument
                                              : random() % 120;
        arg = random_bytes(random, size);
      }
      const std::vector<std::string_view> views(args.begin(), args.end());
      commands.append(views);
      expected += reference_encoding(views);
      ASSERT_EQ(commands.end_offset(commands.size() - 1), expected.size());
    }
    ASSERT_EQ(commands.size(), 300u);
    ASSERT_TRUE(commands.bytes() == expected) << "batch " << batch;
  }
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

// --- Large arguments held by reference ---------------------------------------

// The stream gathered piece by piece, `per_call` pieces at a time, from
// `begin` on: what a transport would send.
std::string gather_all(const CommandBuffer& commands, std::size_t begin, std::size_t per_call) {
  std::string stream;
  std::vector<std::string_view> pieces(per_call);
  std::size_t position = begin;
  while (position < commands.byte_size()) {
    const std::size_t count = commands.gather(position, commands.byte_size(), pieces);
    EXPECT_GT(count, 0u);
    for (std::size_t i = 0; i < count; ++i) {
      stream.append(pieces[i]);
      position += pieces[i].size();
    }
  }
  return stream;
}

TEST(CommandBuffer, ReferencedArgumentIsSentFromWhereItLies) {
  const std::string payload(CommandBuffer::kReferencedArgument, 'p');
  CommandBuffer commands;
  commands.append_referencing({"RESTORE", "key", "0", payload, "REPLACE"});
  const std::vector<std::string_view> args{"RESTORE", "key", "0", payload, "REPLACE"};

  EXPECT_TRUE(commands.has_references());
  EXPECT_LT(commands.bytes().size(), 100u) << "the payload is not in the buffer";
  EXPECT_EQ(commands.byte_size(), reference_encoding(args).size());
  EXPECT_EQ(commands.end_offset(0), commands.byte_size());
  EXPECT_TRUE(commands.flatten() == reference_encoding(args));

  std::vector<std::string_view> pieces(8);
  ASSERT_EQ(commands.gather(0, commands.byte_size(), pieces), 3u) << "header, payload, rest";
  EXPECT_EQ(pieces[1].data(), payload.data()) << "the payload's own bytes, not a copy";
  EXPECT_EQ(pieces[1].size(), payload.size());
}

TEST(CommandBuffer, ArgumentsBelowTheThresholdAreCopiedEvenWhenReferencing) {
  const std::string value(CommandBuffer::kReferencedArgument - 1, 'v');
  CommandBuffer commands;
  commands.append_referencing({"SET", "key", value});
  EXPECT_FALSE(commands.has_references());
  EXPECT_TRUE(commands.bytes() ==
              reference_encoding(std::vector<std::string_view>{"SET", "key", value}));
}

// Random commands mixing copied and referenced arguments of every size
// around the thresholds: the stream is the reference encoding whatever the
// position a gather starts from and however few pieces it may return.
TEST(CommandBuffer, GatherFromAnyPositionMatchesTheReferenceEncoding) {
  std::mt19937 random(7);
  const std::size_t sizes[] = {0,
                               1,
                               1023,
                               1024,
                               CommandBuffer::kReferencedArgument - 1,
                               CommandBuffer::kReferencedArgument,
                               CommandBuffer::kReferencedArgument + 1,
                               100000};
  std::vector<std::string> storage;
  storage.reserve(400);
  CommandBuffer commands;
  std::string expected;
  std::vector<std::size_t> ends;
  for (int command = 0; command < 60; ++command) {
    std::vector<std::string_view> args;
    const std::size_t argc = 1 + random() % 5;
    for (std::size_t i = 0; i < argc; ++i) {
      storage.push_back(random_bytes(random, sizes[random() % std::size(sizes)]));
      args.emplace_back(storage.back());
    }
    if (random() % 2 == 0) {
      commands.append_referencing(args);
    } else {
      commands.append(args);
    }
    expected += reference_encoding(args);
    ends.push_back(expected.size());
  }
  ASSERT_TRUE(commands.has_references());
  ASSERT_EQ(commands.byte_size(), expected.size());
  for (std::size_t i = 0; i < ends.size(); ++i) ASSERT_EQ(commands.end_offset(i), ends[i]) << i;
  ASSERT_TRUE(commands.flatten() == expected);
  for (std::size_t begin = 0; begin < expected.size(); begin += 1 + random() % 4096) {
    const std::size_t per_call = 1 + random() % 3;
    ASSERT_TRUE(gather_all(commands, begin, per_call) == expected.substr(begin))
        << "from " << begin << ", " << per_call << " pieces per call";
  }
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    ASSERT_TRUE(commands.flatten(begin, ends[i]) == expected.substr(begin, ends[i] - begin)) << i;
  }
}

// A cluster client regroups commands per node with append_command: the
// copy refers to the same payload, and encodes the same bytes.
TEST(CommandBuffer, AppendCommandKeepsReferencesAndBytes) {
  const std::string payload(200000, 'x');
  CommandBuffer source;
  source.append({"GET", "a"});
  source.append_referencing({"RESTORE", "b", "0", payload});
  source.append({"GET", "c"});

  CommandBuffer regrouped;
  regrouped.append({"ASKING"});
  regrouped.append_command(source, 1);
  regrouped.append_command(source, 2);
  const std::string expected = reference_encoding(std::vector<std::string_view>{"ASKING"}) +
                               source.flatten(source.end_offset(0), source.byte_size());
  EXPECT_TRUE(regrouped.flatten() == expected);
  EXPECT_EQ(regrouped.end_offset(0), 16u) << "*1 ASKING";
  EXPECT_EQ(regrouped.end_offset(2), expected.size());
  std::vector<std::string_view> pieces(8);
  const std::size_t count = regrouped.gather(0, regrouped.byte_size(), pieces);
  ASSERT_EQ(count, 3u);
  EXPECT_EQ(pieces[1].data(), payload.data());
}

TEST(CommandBuffer, ClearForgetsReferences) {
  const std::string payload(100000, 'x');
  CommandBuffer commands;
  commands.append_referencing({"SET", "k", payload});
  commands.clear();
  EXPECT_FALSE(commands.has_references());
  EXPECT_EQ(commands.byte_size(), 0u);
  commands.append({"GET", "k"});
  EXPECT_EQ(commands.flatten(), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
}

}  // namespace
}  // namespace riot::redis
