// --mem-limit in dump mode: a key whose MEMORY USAGE exceeds the limit is
// skipped, named with its size in the log and the summary and counted as
// skipped (RIOT's behaviour), or, with --mem-limit-policy struct, copied in
// chunks through its datatype, exactly. Small keys are copied as usual.
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/record.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/command_stats.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

constexpr std::size_t kSmallKeys = 300;
constexpr std::size_t kBigElements = 60000;   // ~2-3 MiB per aggregate, over a 1 MiB limit
const std::string kBigString(3u << 20, 's');  // 3 MiB
const std::string kBinaryBigKey("big\0hash\r\n", 10);

class MemLimitTest : public SnapshotTest {
 protected:
  void fill(RedisServer& server) {
    auto source = server.connect();
    write_strings(source, kSmallKeys, 100, "small:");
    source.checked({"HSET", "small:hash", "f", "v"});
    source.checked({"SET", "big:string", kBigString, "PX", "3600000"});
    // Pipelined 1,000 at a time: the big aggregates.
    std::vector<std::string> hset{"HSET", kBinaryBigKey};
    std::vector<std::string> rpush{"RPUSH", "big:list"};
    std::vector<std::string> zadd{"ZADD", "big:zset"};
    for (std::size_t i = 0; i < kBigElements; ++i) {
      const std::string element = "element:" + std::to_string(i) + std::string(24, 'x');
      hset.insert(hset.end(), {"field:" + std::to_string(i), element});
      rpush.push_back(element);
      zadd.insert(zadd.end(), {std::to_string(i * 0.25), element});
      if (rpush.size() < 1002 && i + 1 < kBigElements) continue;
      for (std::vector<std::string>* command : {&hset, &rpush, &zadd}) {
        const std::vector<std::string_view> args(command->begin(), command->end());
        const redis::Reply reply = source.command(std::span<const std::string_view>(args));
        ASSERT_FALSE(reply.is_error()) << reply.str;
        command->resize(2);
      }
    }
    source.checked({"CONFIG", "RESETSTAT"});
  }

  std::vector<std::string> big_keys() const {
    return {"big:string", kBinaryBigKey, "big:list", "big:zset"};
  }

  void expect_small_keys_copied() {
    auto target = target_->connect();
    for (const char* key : {"small:0", "small:299", "small:hash"})
      EXPECT_EQ(target.checked({"EXISTS", key}).integer, 1) << key;
  }
};

TEST_F(MemLimitTest, KeysOverTheLimitAreSkippedAndNamedWithTheirSize) {
  fill(*source_);
  const ProcessResult result = replicate({"--no-verify", "--mem-limit", "1"});
  ASSERT_EQ(result.exit_code, 0) << "skipping is what was asked, not a failure\n"
                                 << result.describe();
  EXPECT_EQ(result.summary_count("keys skipped"), 4) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kSmallKeys + 1))
      << result.describe();
  // A note per batch that skipped keys: the keys of one batch together.
  EXPECT_TRUE(result.mentions("over --mem-limit (1.0 MiB) skipped, not copied: "))
      << result.describe();
  for (const std::string& key : big_keys()) {
    // The warning, and the note: the key and its size.
    EXPECT_TRUE(result.mentions("\"" + printable_key(key) + "\" (~")) << key << "\n"
                                                                      << result.describe();
  }
  auto target = target_->connect();
  for (const std::string& key : big_keys())
    EXPECT_EQ(target.checked({"EXISTS", key}).integer, 0) << printable_key(key);
  expect_small_keys_copied();

  auto source = source_->connect();
  EXPECT_EQ(command_calls(source, "get"), static_cast<std::int64_t>(kSmallKeys))
      << "the big string is not read";
  EXPECT_EQ(command_calls(source, "dump"), 1) << "only the small hash is DUMPed";
}

// Where MEMORY is refused (a managed service, an ACL), an aggregate's size
// comes from its length: a long one is big all the same.
TEST_F(MemLimitTest, WithoutMemoryUsageTheLengthDecides) {
  source_ =
      std::make_unique<RedisServer>(RedisServerOptions{.config = {"rename-command MEMORY \"\""}});
  fill(*source_);
  const ProcessResult result = replicate({"--no-verify", "--mem-limit", "1"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys skipped"), 4) << result.describe();
  EXPECT_TRUE(result.mentions("\"big:list\" (a list of 60000 elements)")) << result.describe();
  EXPECT_TRUE(result.mentions("\"big:string\" (~3.0 MiB)")) << result.describe();
  expect_small_keys_copied();
}

TEST_F(MemLimitTest, TheStructPolicyCopiesBigKeysInChunksExactly) {
  fill(*source_);
  const ProcessResult result =
      replicate({"--no-verify", "--mem-limit", "1", "--mem-limit-policy", "struct"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kSmallKeys + 5))
      << result.describe();
  EXPECT_EQ(result.summary_count("keys skipped"), 0) << result.describe();

  // Read in chunks, by type, never whole: no DUMP of a big key, several
  // range reads of each (counted before the comparison reads them whole).
  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "dump"), 1) << "only the small hash is DUMPed";
  EXPECT_GT(command_calls(source, "lrange"), 1);
  EXPECT_GT(command_calls(source, "getrange"), 1);
  EXPECT_GT(command_calls(source, "hscan"), 1);
  EXPECT_EQ(command_calls(source, "hgetall"), 0);
  EXPECT_EQ(command_calls(target, "restore"), 1);

  const std::vector<std::string> differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
  const std::int64_t ttl = target.checked({"PTTL", "big:string"}).integer;
  EXPECT_GT(ttl, 3500000) << "the TTL is applied with the last chunk";
  EXPECT_EQ(target.checked({"PTTL", "big:list"}).integer, -1);
  // No staging key is left behind.
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<long long>(kSmallKeys + 5));
}

TEST_F(MemLimitTest, KeysUnderTheLimitAreCopiedAsUsual) {
  fill(*source_);
  const ProcessResult result = replicate({"--no-verify", "--mem-limit", "64"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys skipped"), 0) << result.describe();
  // Sized, then read by the command the type calls for: no key is asked
  // for by GET only to find it is no string.
  auto source = source_->connect();
  auto target = target_->connect();
  EXPECT_EQ(command_calls(source, "memory|usage"), static_cast<std::int64_t>(kSmallKeys + 5));
  EXPECT_EQ(command_calls(source, "get"), static_cast<std::int64_t>(kSmallKeys + 1));
  EXPECT_EQ(command_calls(source, "dump"), 4);
  const std::vector<std::string> differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

}  // namespace
}  // namespace riot::test
