// codec.dump's string fast path: strings are read with GET and written with
// SET, other keys with DUMP and RESTORE, in the same run; the copy is exact
// for strings of every encoding, binary ones and TTLs included. The servers'
// own command statistics tell which commands riot sent.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "snapshot_test_fixture.hpp"
#include "support/command_stats.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

constexpr int kExitKeysFailed = 1;

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
  const ProcessResult result = replicate();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), strings() + kOtherKeys) << result.describe();
  expect_same_data();

  auto source = source_->connect();
  auto target = target_->connect();
  // Every key is asked for by GET first; those that answer WRONGTYPE, and
  // only those, are DUMPed.
  EXPECT_EQ(command_calls(source, "get"), strings() + kOtherKeys);
  EXPECT_EQ(command_calls(source, "dump"), kOtherKeys);
  EXPECT_EQ(command_calls(target, "set"), strings());
  EXPECT_EQ(command_calls(target, "restore"), kOtherKeys);
}

TEST_F(StringFastPathTest, TurnedOffEveryKeyGoesByDumpAndRestore) {
  const ProcessResult result = replicate({"--no-string-fast-path"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_same_data();

  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "get"), 0);
  EXPECT_EQ(command_calls(source, "dump"), strings() + kOtherKeys);
  EXPECT_EQ(command_calls(target, "set"), 0);
  EXPECT_EQ(command_calls(target, "restore"), strings() + kOtherKeys);
}

// A type filter of strings reads no key twice: a key that is no string is
// not DUMPed, it is not wanted.
TEST_F(StringFastPathTest, AStringFilterDumpsNothing) {
  const ProcessResult result = replicate({"--key-type", "string"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "dump"), 0);
  EXPECT_EQ(static_cast<std::int64_t>(target.checked({"DBSIZE"}).integer), strings());
  for (const StringCase& string : string_cases())
    EXPECT_EQ(target.checked({"GET", string.key}).str, string.value) << printable_key(string.key);
}

// Without --no-replace a string the target holds is overwritten, TTL and
// all; with it, it is left alone and reported, as RESTORE without REPLACE
// leaves a key alone.
TEST_F(StringFastPathTest, ReplaceDecidesTheFateOfStringsTheTargetHolds) {
  auto target = target_->connect();
  target.checked({"SET", "embstr", "the target's", "EX", "100"});
  ASSERT_EQ(replicate().exit_code, 0);
  EXPECT_EQ(target.checked({"GET", "embstr"}).str, "short text");
  EXPECT_EQ(target.checked({"PTTL", "embstr"}).integer, -1) << "the source's key has no TTL";

  target.checked({"FLUSHALL"});
  target.checked({"SET", "embstr", "the target's"});
  const ProcessResult result = replicate({"--no-replace"});
  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 1) << result.describe();
  EXPECT_TRUE(result.mentions("\"embstr\"")) << result.describe();
  EXPECT_EQ(target.checked({"GET", "embstr"}).str, "the target's");
  EXPECT_EQ(target.checked({"GET", "raw"}).str, std::string(200, 'r'));
}

// Users granted what the least-privilege recipe lists (DUMP on the source,
// RESTORE on the target) copy every string all the same: the reader turns to
// DUMP once GET is refused, the sink to RESTORE of a payload riot makes once
// SET is refused.
TEST_F(StringFastPathTest, UsersWithoutGetOrSetCopyEveryStringAllTheSame) {
  const std::string password = "s3cret-pw";
  for (RedisServer* server : {source_.get(), target_.get()}) {
    const bool source = server == source_.get();
    auto admin = server->connect();
    admin.checked({"ACL", "SETUSER", "riot", "reset", "on", ">" + password, "~*", "resetchannels",
                   "-@all", source ? "+scan" : "+restore", source ? "+dump" : "+restore",
                   source ? "+pttl" : "+restore"});
  }
  const auto uri = [&](const RedisServer& server) {
    return "redis://riot:" + password + "@127.0.0.1:" + std::to_string(server.port());
  };
  const ProcessResult result = replicate(uri(*source_), uri(*target_), {"-i"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("the source refused GET")) << result.describe();
  EXPECT_TRUE(result.mentions("the target refused SET")) << result.describe();
  expect_same_data();

  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "dump"), strings() + kOtherKeys);
  EXPECT_EQ(command_calls(target, "restore"), strings() + kOtherKeys);
}

}  // namespace
}  // namespace riot::test
