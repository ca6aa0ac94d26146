// codec.dump's string fast path: strings are read with GET and written with
// SET, other keys with DUMP and RESTORE, in the same run; the copy is exact
// for strings of every encoding, binary ones and TTLs included. The servers'
// own command statistics tell which commands riot sent.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "riot/record.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/command_stats.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

struct StringCase {
  std::string key;
  std::string value;
  std::string encoding;  // OBJECT ENCODING on the source
};

// Strings of every encoding, binary keys and values among them.
std::vector<StringCase> string_cases() {
  return {{"int", "1234567", "int"},
          {"negative", "-42", "int"},
          {"embstr", "short text", "embstr"},
          {"raw", std::string(200, 'r'), "raw"},
          {"empty", "", "embstr"},
          {std::string("bin\0key\r\n\xff", 11), std::string("\0\r\n\xff value", 11), "embstr"},
          {"binary-raw", std::string(100, '\0') + "\xff\r\n", "raw"}};
}

class StringFastPathTest : public SnapshotTest {
 protected:
  void SetUp() override {
    auto source = source_->connect();
    for (const StringCase& string : string_cases())
      source.checked({"SET", string.key, string.value});
    source.checked({"SET", "with-ttl", "expires", "PX", "3600000"});
    source.checked({"HSET", "hash", "field", "value"});
    source.checked({"RPUSH", "list", "a", "b"});
    source.checked({"ZADD", "zset", "1.5", "m"});
    for (const StringCase& string : string_cases())
      ASSERT_EQ(source.checked({"OBJECT", "ENCODING", string.key}).str, string.encoding)
          << printable_key(string.key);
    source.checked({"CONFIG", "RESETSTAT"});
    target_->connect().checked({"CONFIG", "RESETSTAT"});
  }

  std::int64_t strings() const { return static_cast<std::int64_t>(string_cases().size()) + 1; }
  static constexpr std::int64_t kOtherKeys = 3;

  void expect_same_data() {
    auto source = source_->connect();
    auto target = target_->connect();
    const std::vector<std::string> differences = compare_databases(source, target);
    EXPECT_TRUE(differences.empty()) << summarize(differences);
    for (const StringCase& string : string_cases()) {
      EXPECT_EQ(target.checked({"GET", string.key}).str, string.value) << printable_key(string.key);
      EXPECT_EQ(target.checked({"OBJECT", "ENCODING", string.key}).str, string.encoding)
          << printable_key(string.key);
    }
    const std::int64_t ttl = target.checked({"PTTL", "with-ttl"}).integer;
    EXPECT_GT(ttl, 3500000);
    EXPECT_LE(ttl, 3600000);
    EXPECT_EQ(target.checked({"PTTL", "int"}).integer, -1) << "a persistent key stays persistent";
  }
};

TEST_F(StringFastPathTest, StringsGoByGetAndSetTheRestByDumpAndRestore) {
  const ProcessResult result = replicate({"--no-verify"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), strings() + kOtherKeys) << result.describe();

  // Counted before the comparison, which reads with GET.
  auto source = source_->connect();
  auto target = target_->connect();
  // Every key is asked for by GET first; those that answer WRONGTYPE, and
  // only those, are DUMPed.
  EXPECT_EQ(command_calls(source, "get"), strings() + kOtherKeys);
  EXPECT_EQ(command_calls(source, "dump"), kOtherKeys);
  EXPECT_EQ(command_calls(target, "set"), strings());
  EXPECT_EQ(command_calls(target, "restore"), kOtherKeys);
  expect_same_data();
}

TEST_F(StringFastPathTest, TurnedOffEveryKeyGoesByDumpAndRestore) {
  const ProcessResult result = replicate({"--no-verify", "--no-string-fast-path"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();

  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "get"), 0);
  EXPECT_EQ(command_calls(source, "dump"), strings() + kOtherKeys);
  EXPECT_EQ(command_calls(target, "set"), 0);
  EXPECT_EQ(command_calls(target, "restore"), strings() + kOtherKeys);
  expect_same_data();
}

// A type filter of strings reads no key twice: a key that is no string is
// not DUMPed, it is not wanted.
TEST_F(StringFastPathTest, AStringFilterDumpsNothing) {
  const ProcessResult result = replicate({"--no-verify", "--key-type", "string"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "dump"), 0);
  EXPECT_EQ(static_cast<std::int64_t>(target.checked({"DBSIZE"}).integer), strings());
  for (const StringCase& string : string_cases())
    EXPECT_EQ(target.checked({"GET", string.key}).str, string.value) << printable_key(string.key);
}

// Without --no-replace a string the target holds is overwritten, TTL and
// all; with it, it is left alone and counted so, as RESTORE without REPLACE
// leaves a key alone.
TEST_F(StringFastPathTest, ReplaceDecidesTheFateOfStringsTheTargetHolds) {
  auto target = target_->connect();
  target.checked({"SET", "embstr", "the target's", "EX", "100"});
  ASSERT_EQ(replicate({"--no-verify"}).exit_code, 0);
  EXPECT_EQ(target.checked({"GET", "embstr"}).str, "short text");
  EXPECT_EQ(target.checked({"PTTL", "embstr"}).integer, -1) << "the source's key has no TTL";

  target.checked({"FLUSHALL"});
  target.checked({"SET", "embstr", "the target's"});
  const ProcessResult result = replicate({"--no-verify", "--no-replace"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys left alone"), 1) << result.describe();
  EXPECT_EQ(target.checked({"GET", "embstr"}).str, "the target's");
  EXPECT_EQ(target.checked({"GET", "raw"}).str, std::string(200, 'r'));
}

// A user that may not run GET on the source (the least-privilege recipe
// grants DUMP only): the reader turns to DUMP once GET is refused, and every
// string is copied all the same.
TEST_F(StringFastPathTest, ASourceUserWithoutGetReadsStringsByDump) {
  source_->connect().checked(
      {"ACL", "SETUSER", "riot", "reset", "on", ">pw", "~*", "&*", "+@all", "-get"});
  const ProcessResult result =
      replicate("redis://riot:pw@127.0.0.1:" + std::to_string(source_->port()), target_->uri(),
                {"-i", "--no-verify"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("the source refused GET")) << result.describe();
  auto source = source_->connect();
  EXPECT_EQ(command_calls(source, "dump"), strings() + kOtherKeys);
  expect_same_data();
}

// A user that may not run SET on the target (the recipe grants RESTORE
// only): the sink writes the strings read by GET with RESTORE of a payload
// riot makes, once SET is refused; no key fails.
TEST_F(StringFastPathTest, ATargetUserWithoutSetWritesStringsByRestore) {
  target_->connect().checked(
      {"ACL", "SETUSER", "riot", "reset", "on", ">pw", "~*", "&*", "+@all", "-set"});
  const ProcessResult result =
      replicate(source_->uri(), "redis://riot:pw@127.0.0.1:" + std::to_string(target_->port()),
                {"-i", "--no-verify"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("the target refused SET")) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "dump"), kOtherKeys) << "strings are still read by GET";
  EXPECT_EQ(command_calls(target, "restore"), strings() + kOtherKeys);
  expect_same_data();
}

}  // namespace
}  // namespace riot::test
