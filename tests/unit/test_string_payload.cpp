// The DUMP payload sink.restore makes for a string when the target refuses
// SET: Redis's CRC-64 and the RDB length prefixes. That RESTORE accepts it
// is checked against a real server in test_string_fast_path.cpp.
#include <gtest/gtest.h>

#include <string>

#include "restore/string_payload.hpp"

namespace riot::restore_plugin {
namespace {

TEST(StringPayload, Crc64IsRedisOwn) {
  // Redis's crc64.c test vector.
  EXPECT_EQ(redis_crc64(0, "123456789"), 0xe9c6d914c4b8d9caULL);
}

// The type, the length prefix, the bytes, the version and the CRC of what
// precedes it.
void expect_payload(const std::string& value, const std::string& prefix) {
  const std::string payload = string_dump_payload(value);
  ASSERT_EQ(payload.size(), 1 + prefix.size() + value.size() + 2 + 8);
  EXPECT_EQ(payload[0], '\0') << "RDB_TYPE_STRING";
  EXPECT_EQ(payload.substr(1, prefix.size()), prefix);
  EXPECT_EQ(payload.substr(1 + prefix.size(), value.size()), value);
  const std::size_t footer = payload.size() - 10;
  EXPECT_EQ(static_cast<unsigned char>(payload[footer]), kStringPayloadRdbVersion);
  EXPECT_EQ(payload[footer + 1], '\0');
  std::uint64_t crc = 0;
  for (int i = 7; i >= 0; --i)
    crc =
        (crc << 8) | static_cast<unsigned char>(payload[footer + 2 + static_cast<std::size_t>(i)]);
  EXPECT_EQ(crc, redis_crc64(0, std::string_view(payload).substr(0, footer + 2)));
}

TEST(StringPayload, LengthsTakeSixFourteenOrThirtyTwoBits) {
  expect_payload("", std::string(1, '\0'));
  expect_payload(std::string("\0\r\n\xff", 4), std::string(1, '\x04'));
  expect_payload(std::string(63, 'a'), std::string(1, '\x3f'));
  expect_payload(std::string(64, 'b'), std::string("\x40\x40", 2));
  expect_payload(std::string(16383, 'c'), std::string("\x7f\xff", 2));
  expect_payload(std::string(16384, 'd'), std::string("\x80\x00\x00\x40\x00", 5));
}

}  // namespace
}  // namespace riot::restore_plugin
