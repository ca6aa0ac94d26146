// --key-include, --key-exclude and --key-process with the real riot binary
// against real servers: a filtered snapshot; renamed copies (a template and
// a substitution with groups) of strings, hashes, a binary key and a big
// hash copied in chunks, with --type dump and struct; a live run whose
// deletes reach the renamed key; a comparison under the renaming (equal,
// then a difference naming both keys); extras and repair with a prefix
// renaming; a renaming without inverse; a bad regex. The tests check the
// target with their own reads, not only riot's verification.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compare_test_support.hpp"
#include "live_test_fixture.hpp"
#include "riot/record.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitDifferences = 4;

const std::string kBinaryKey = std::string("user:\0\r\n\xff", 9);
const std::string kBigHash = "user:big";
// Over the 1 MiB --mem-limit below: copied and compared in chunks.
constexpr int kBigHashFields = 4000;
const std::string kBigHashValue(300, 'v');

// A key's content as the tests compare it: its type and, for strings and
// hashes, its value (a hash's fields sorted).
std::string content(redis::Connection& server, std::string_view key) {
  const std::string type = server.checked({"TYPE", key}).str;
  if (type == "string") return "string:" + server.checked({"GET", key}).str;
  if (type != "hash") return type;
  std::map<std::string, std::string> fields;
  const redis::Reply all = server.checked({"HGETALL", key});
  for (std::size_t i = 0; i + 1 < all.elements.size(); i += 2)
    fields[all.elements[i].str] = all.elements[i + 1].str;
  std::string text = "hash:";
  for (const auto& [field, value] : fields) text += field + "=" + value + ";";
  return text;
}

std::vector<std::string> sorted_keys(redis::Connection& server) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    const redis::Reply page = server.checked({"SCAN", cursor, "COUNT", "1000"});
    cursor = page.elements[0].str;
    for (const redis::Reply& key : page.elements[1].elements) keys.push_back(key.str);
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  return keys;
}

void write_big_hash(redis::Connection& server) {
  std::vector<std::string> args{"HSET", kBigHash};
  for (int i = 0; i < kBigHashFields; ++i) {
    args.push_back("field:" + std::to_string(i));
    args.push_back(kBigHashValue);
  }
  write_command(server, args);
}

// user:1, user:2 (strings), user:h (a hash), a binary user key, a big hash,
// and keys the filters of the tests leave out.
void write_source(redis::Connection& source) {
  source.checked({"SET", "user:1", "one"});
  source.checked({"SET", "user:2", "two"});
  source.checked({"HSET", "user:h", "a", "1", "b", "2"});
  source.checked({"SET", kBinaryKey, std::string("\0bin\xff", 5)});
  source.checked({"SET", "user:tmp:1", "temporary"});
  source.checked({"SET", "cart:1", "a cart"});
  write_big_hash(source);
}

class KeySelectionTest : public SnapshotTest {
 protected:
  // Each source key's content under its target name on the target.
  void expect_copied(const std::map<std::string, std::string>& target_names) {
    auto source = source_->connect();
    auto target = target_->connect();
    std::vector<std::string> expected;
    for (const auto& [source_key, target_key] : target_names) {
      EXPECT_EQ(content(target, target_key), content(source, source_key))
          << printable_key(source_key) << " -> " << printable_key(target_key);
      expected.push_back(target_key);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(sorted_keys(target), expected) << "exactly the selected keys, renamed";
  }
};

TEST_F(KeySelectionTest, IncludeAndExcludeSelectWholeKeys) {
  auto source = source_->connect();
  write_source(source);
  source.checked({"SET", "xuser:1", "not a user: the regex matches whole keys"});
  const auto result = replicate({"--key-include", "user:.*", "--key-include", "nothing",
                                 "--key-exclude", "user:tmp:.*", "--key-exclude", "user:big"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied(
      {{"user:1", "user:1"}, {"user:2", "user:2"}, {"user:h", "user:h"}, {kBinaryKey, kBinaryKey}});
  EXPECT_EQ(result.summary_count("keys filtered"), 4) << result.describe();
}

class RenamingTest : public KeySelectionTest, public ::testing::WithParamInterface<const char*> {
 protected:
  // --type and the options that make the big hash go in chunks.
  std::vector<std::string> type_options() const {
    if (std::string(GetParam()) == "struct") return {"--type", "struct", "--mem-limit", "1"};
    return {"--mem-limit", "1", "--mem-limit-policy", "struct"};
  }
  std::vector<std::string> with_type(std::vector<std::string> options) const {
    const std::vector<std::string> type = type_options();
    options.insert(options.end(), type.begin(), type.end());
    return options;
  }
};

TEST_P(RenamingTest, ATemplateAddsAPrefixToEveryKeyBigAndBinaryOnes) {
  auto source = source_->connect();
  write_source(source);
  const auto result = replicate(with_type(
      {"--key-include", "user:.*", "--key-exclude", "user:tmp:.*", "--key-process", "new:#{key}"}));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied({{"user:1", "new:user:1"},
                 {"user:2", "new:user:2"},
                 {"user:h", "new:user:h"},
                 {kBinaryKey, "new:" + kBinaryKey},
                 {kBigHash, "new:" + kBigHash}});
}

TEST_P(RenamingTest, ASubstitutionRewritesWithGroups) {
  auto source = source_->connect();
  write_source(source);
  const auto result =
      replicate(with_type({"--key-exclude", "user:tmp:.*", "--key-proc", "s/^user:(.*)$/u:\\1/"}));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied({{"user:1", "u:1"},
                 {"user:2", "u:2"},
                 {"user:h", "u:h"},
                 {kBinaryKey, "u:" + kBinaryKey.substr(5)},
                 {kBigHash, "u:big"},
                 {"cart:1", "cart:1"}});  // no match: the key keeps its name
  EXPECT_TRUE(result.mentions("search for extra keys skipped")) << result.describe();
}

INSTANTIATE_TEST_SUITE_P(Types, RenamingTest, ::testing::Values("dump", "struct"));

TEST_F(KeySelectionTest, LiveDeletesReachTheRenamedKey) {
  auto source = source_->connect();
  source.checked({"CONFIG", "SET", "notify-keyspace-events", "KEA"});
  source.checked({"SET", "user:gone", "deleted while riot follows"});
  source.checked({"SET", "user:kept", "kept"});
  auto riot = start_live(live_args(source_->uri(), target_->uri(), "live", kLiveIdleTimeout,
                                   {"--key-process", "s/^user:/u:/"}));
  ASSERT_TRUE(wait_for_subscriptions(source));
  auto target = target_->connect();
  // The walk copies both; then the changes follow.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (target.checked({"EXISTS", "u:gone"}).integer == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  source.checked({"DEL", "user:gone"});
  source.checked({"SET", "user:new", "written while riot follows"});
  source.checked({"HSET", "user:h", "f", "v"});
  const ProcessResult result = riot->wait();
  ASSERT_EQ(result.exit_code, kExitOk) << result.describe();
  expect_copied({{"user:kept", "u:kept"}, {"user:new", "u:new"}, {"user:h", "u:h"}});
}

class RenamedComparisonTest : public KeySelectionTest {
 protected:
  ProcessResult compare(std::vector<std::string> extra = {}) {
    std::vector<std::string> options{"--mode", "compare", "--key-process", "new:#{key}"};
    options.insert(options.end(), extra.begin(), extra.end());
    return replicate(options);
  }
};

TEST_F(RenamedComparisonTest, EqualThenADifferenceNamingBothKeys) {
  auto source = source_->connect();
  write_source(source);
  ASSERT_EQ(replicate({"--key-process", "new:#{key}", "--no-verify"}).exit_code, 0);
  auto target = target_->connect();
  target.checked({"SET", "unrelated", "no source key becomes it: not an extra"});

  const auto equal = compare({"--show-diffs"});
  ASSERT_EQ(equal.exit_code, 0) << equal.describe();
  const auto equal_counts = comparison_counts(equal, "compare");
  ASSERT_TRUE(equal_counts) << equal.describe();
  EXPECT_EQ(equal_counts->ok, 7) << *equal_counts;
  EXPECT_EQ(equal_counts->keys, 7) << "the unrelated target key is no extra: " << *equal_counts;

  target.checked({"HSET", "new:user:h", "a", "changed"});
  const std::string report = (make_temp_directory("key-rename") / "diffs.jsonl").string();
  const auto different = compare({"--show-diffs", "--diff-report", report});
  ASSERT_EQ(different.exit_code, kExitDifferences) << different.describe();
  EXPECT_NE(different.out.find("value \"user:h\" -> \"new:user:h\""), std::string::npos)
      << different.describe();
  std::ifstream lines(report);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["key"], "user:h");
  EXPECT_EQ(parsed["target_key"], "new:user:h");
  EXPECT_FALSE(std::getline(lines, line)) << "one difference: " << line;
}

TEST_F(RenamedComparisonTest, ExtrasAreRenamedKeysOnlyAndRepairFixesThem) {
  auto source = source_->connect();
  write_source(source);
  ASSERT_EQ(replicate({"--key-process", "new:#{key}", "--no-verify"}).exit_code, 0);
  auto target = target_->connect();
  target.checked({"SET", "new:ghost", "its source key does not exist: extra"});
  target.checked({"SET", "other:1", "no source key becomes it: outside the run"});
  target.checked({"SET", "new:user:1", "stale"});
  source.checked({"DEL", "user:2"});  // new:user:2 becomes extra too

  const auto found = compare({"--show-diffs"});
  ASSERT_EQ(found.exit_code, kExitDifferences) << found.describe();
  const auto counts = comparison_counts(found, "compare");
  ASSERT_TRUE(counts) << found.describe();
  EXPECT_EQ(counts->extra, 2) << *counts;
  EXPECT_EQ(counts->value, 1) << *counts;
  EXPECT_EQ(counts->ok, 5) << *counts;
  EXPECT_NE(found.out.find("extra \"ghost\" -> \"new:ghost\""), std::string::npos)
      << found.describe();

  const auto repaired = compare({"--repair", "--repair-extra"});
  ASSERT_EQ(repaired.exit_code, 0) << repaired.describe();
  EXPECT_EQ(target.checked({"GET", "new:user:1"}).str, "one");
  EXPECT_EQ(target.checked({"EXISTS", "new:ghost", "new:user:2"}).integer, 0);
  EXPECT_EQ(target.checked({"GET", "other:1"}).str, "no source key becomes it: outside the run");
  EXPECT_EQ(compare().exit_code, 0);
}

TEST_F(KeySelectionTest, ABadRegexIsAUsageErrorNamingTheOptionAndPosition) {
  const auto result = replicate({"--key-include", "ok:.*", "--key-include", "user:[a-"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("--key-include")) << result.describe();
  EXPECT_TRUE(result.mentions("user:[a-")) << result.describe();
  EXPECT_TRUE(result.mentions("position")) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 0);
}

}  // namespace
}  // namespace riot::test
