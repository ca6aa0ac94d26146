// A key whose RESTORE (or SET) fails is reported with its key and the server's error,
// counted by cause, and makes the run exit non-zero; the other keys still
// land. Failures are grouped by cause in the log and the summary, each key
// logged at debug level. (Refusals about the whole target stop the run:
// test_target_refusals.cpp.)
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "snapshot_test_fixture.hpp"
#include "support/test_files.hpp"

namespace riot::test {
namespace {

constexpr int kExitKeysFailed = 1;
constexpr int kExitFatal = 3;

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

// A refusal about one key (NOPERM: the target's user may write key:* only)
// fails that key only: the run goes on, the summary counts the keys by cause
// and names the first, escaped, and each is logged at debug level.
TEST_F(SnapshotTest, EveryKeyRefusedForGoodIsReportedWithItsKey) {
  const std::string binary("odd\r\nkey\0", 9);
  auto source = source_->connect();
  auto target = target_->connect();
  target.checked({"ACL", "SETUSER", "copier", "on", ">pw", "~key:*", "+@all"});
  source.checked({"SET", binary, "v"});
  write_strings(source, 10, 8, "key:");
  write_strings(source, 20, 8, "other:");

  const std::string target_uri = "redis://copier:pw@127.0.0.1:" + std::to_string(target_->port());
  const auto result =
      replicate(source_->uri(), target_uri, {"--no-verify", "-d", "--no-string-fast-path"});

  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 21) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 10) << result.describe();
  EXPECT_TRUE(result.mentions("21 keys (first: ")) << result.describe();
  EXPECT_TRUE(result.mentions("): RESTORE failed: NOPERM")) << result.describe();
  EXPECT_TRUE(result.mentions("key \"odd\\r\\nkey\\x00\": RESTORE failed: NOPERM"))
      << "binary keys are named, escaped\n"
      << result.describe();
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(result.mentions("key \"other:" + std::to_string(i) + "\": RESTORE failed: NOPERM"))
        << i;
  }
  EXPECT_EQ(count_of(result.err, "[warning] key \""), 1u)
      << "one warning for the cause, each key at debug level\n"
      << result.describe();
}

// --no-replace: a key the target holds is left as it is on purpose. It is
// counted apart, is no failure (exit 0), and the copy is not verified, since
// every key left alone would be reported as a difference.
TEST_F(SnapshotTest, NoReplaceLeavesTheKeysTheTargetHoldsAloneAndExitsZero) {
  const std::string binary("odd\r\nkey\0\xff", 10);
  auto source = source_->connect();
  auto target = target_->connect();
  source.checked({"SET", binary, "v"});
  source.checked({"HSET", "hash", "f", "source"});
  target.checked({"SET", binary, "already there"});
  target.checked({"HSET", "hash", "f", "target"});
  write_strings(source, 30, 8);
  for (int i = 0; i < 20; ++i) target.checked({"SET", "key:" + std::to_string(i), "target's"});

  for (const std::vector<std::string>& type :
       {std::vector<std::string>{"--no-string-fast-path"}, {}, {"--type", "struct"}}) {
    std::vector<std::string> options{"--no-replace"};
    options.insert(options.end(), type.begin(), type.end());
    const auto result = replicate(options);
    const std::string label = type.empty() ? "dump, strings by SET" : type.back();
    EXPECT_EQ(result.exit_code, 0) << label << '\n' << result.describe();
    EXPECT_EQ(result.summary_count("keys failed"), 0) << label << '\n' << result.describe();
    EXPECT_EQ(result.summary_count("keys left alone"), 22) << label << '\n' << result.describe();
    EXPECT_EQ(result.summary_count("keys written"), 10) << label << '\n' << result.describe();
    EXPECT_TRUE(result.mentions("no verification after the copy: --no-replace"))
        << label << '\n'
        << result.describe();
    EXPECT_EQ(target.checked({"GET", binary}).str, "already there") << label;
    EXPECT_EQ(target.checked({"HGET", "hash", "f"}).str, "target") << label;
    EXPECT_EQ(target.checked({"GET", "key:3"}).str, "target's") << label;
    EXPECT_EQ(target.checked({"GET", "key:25"}).str, source.checked({"GET", "key:25"}).str)
        << label;
    for (int i = 20; i < 30; ++i) target.checked({"DEL", "key:" + std::to_string(i)});
  }
}

// A target at maxmemory refuses RESTOREs with OOM. Redis keeps a large input
// buffer after an 8 MB argument, so later writes on the connection may be
// refused too: whatever lands, every key that did not land must be reported
// with its key and error, and the counts must add up. OOM is retried, then
// stops the run as "target full" (test_faults.cpp covers both). The pipeline
// has one writer whose batches are not cut by bytes, so that one write batch
// holds every key and none is left unreported in a queue.
TEST_F(SnapshotTest, KeysRefusedByAFullTargetAreEachReported) {
  auto source = source_->connect();
  write_strings(source, 200, 16);
  // Random bytes: DUMP compresses its payload, and a compressible value would
  // pass the target's memory check before it expands.
  std::mt19937_64 random_bytes(7);
  std::string big(8 * 1024 * 1024, '\0');
  for (auto& byte : big) byte = static_cast<char>(random_bytes());
  source.checked({"SET", "too-big", big});

  auto target = target_->connect();
  target.checked({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  const auto info = target.checked({"INFO", "memory"}).str;
  const auto at = info.find("used_memory:");
  ASSERT_NE(at, std::string::npos);
  const long long used_memory = std::stoll(info.substr(at + 12));
  // Room for the small keys, not for an 8 MB value.
  target.checked({"CONFIG", "SET", "maxmemory", std::to_string(used_memory + 4 * 1024 * 1024)});

  // The keys are strings: DUMP and RESTORE, as the test is about RESTORE.
  // The copy alone (--no-verify): its sink is edited below.
  const auto printed = replicate({"--retry", "1", "--retry-delay", "10", "--write-batch", "1000",
                                  "--no-string-fast-path", "--no-verify", "--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  nlohmann::json pipeline = nlohmann::json::parse(printed.out);
  pipeline["stages"]["sink"]["threads"] = 1;
  pipeline["stages"]["sink"]["batch_bytes"] = 64 << 20;
  const auto document = make_temp_directory("full-target") / "pipeline.json";
  std::ofstream(document) << pipeline.dump();
  // -d: each failed key has its line at debug level.
  const auto result = run_riot({"run", document.string(), "--progress", "none", "-d"});
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_NE(result.err.find("target full"), std::string::npos) << result.describe();
  EXPECT_EQ(target.checked({"EXISTS", "too-big"}).integer, 0);
  const auto landed = target.checked({"DBSIZE"}).integer;

  const auto failed_at = result.err.find("keys failed:");
  ASSERT_NE(failed_at, std::string::npos) << result.describe();
  const long long failed = std::stoll(result.err.substr(failed_at + 12));
  EXPECT_EQ(landed + failed, 201) << "written and failed account for every key";
  for (const auto& key : scan_all_keys(source)) {
    if (target.checked({"EXISTS", key}).integer == 1) continue;
    EXPECT_NE(result.err.find("key \"" + key + "\": RESTORE failed: OOM"), std::string::npos)
        << key << " did not land and was not reported";
  }
}

// Thousands of keys refused with OOM make a few warnings, not one per key:
// the first refused key, the retry, the cause's count in the summary. One
// reader and one writer make one write batch of every key, so that each key
// not written is reported (none is left in a queue) and the counts add up.
TEST_F(SnapshotTest, KeysRefusedByAFullTargetAreCountedInAFewLines) {
  constexpr long long kKeys = 3000;
  auto source = source_->connect();
  write_strings(source, kKeys, 64);
  limit_memory(*target_, 100 * 1024);  // room for several hundred keys

  const auto result =
      replicate({"--retry", "1", "--retry-delay", "10", "--read-threads", "1", "--write-threads",
                 "1", "--write-batch", std::to_string(kKeys), "--no-string-fast-path"});

  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("target full")) << result.describe();
  auto target = target_->connect();
  const long long landed = target.checked({"DBSIZE"}).integer;
  const long long failed = result.summary_count("keys failed");
  EXPECT_GT(landed, 0);
  EXPECT_GT(failed, kKeys / 2) << result.describe();
  EXPECT_EQ(landed + failed, kKeys) << "written and failed account for every key";
  EXPECT_TRUE(result.mentions("Failed keys, by cause:\n  " + std::to_string(failed) +
                              " keys (first: \"key:"))
      << result.describe();
  EXPECT_TRUE(result.mentions("\"): RESTORE failed: OOM command not allowed")) << result.describe();
  EXPECT_LT(count_of(result.err, "[warning]"), 10u) << "a few lines, not one per key\n"
                                                    << result.describe();
  EXPECT_EQ(count_of(result.err, "[warning] key \""), 1u) << result.describe();
}

// A value above the target's proto-max-bulk-len: the target answers "invalid
// bulk length" and closes the connection. That key fails by name with what
// it means and what to do; the rest of its batch is sent again and every
// other key lands.
TEST_F(SnapshotTest, AValueAboveTheTargetsBulkLimitFailsAloneAndTheOthersLand) {
  constexpr long long kSmallKeys = 1000;
  auto source = source_->connect();
  write_strings(source, kSmallKeys, 16);
  // Random bytes, which DUMP cannot compress below the limit.
  std::mt19937_64 random_bytes(11);
  std::string big(2 * 1024 * 1024, '\0');
  for (auto& byte : big) byte = static_cast<char>(random_bytes());
  source.checked({"SET", "big", big});
  auto target = target_->connect();
  target.checked({"CONFIG", "SET", "proto-max-bulk-len", "1mb"});

  const auto result = replicate();

  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), 1) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), kSmallKeys) << result.describe();
  // A string goes by SET (the string fast path).
  EXPECT_TRUE(result.mentions("1 key (\"big\"): SET failed: its value of ")) << result.describe();
  EXPECT_TRUE(
      result.mentions("(ERR Protocol error: invalid bulk length): raise "
                      "proto-max-bulk-len on the target"))
      << result.describe();
  EXPECT_EQ(target.checked({"EXISTS", "big"}).integer, 0);
  const auto differences = compare_databases(source, target);
  EXPECT_EQ(differences, std::vector<std::string>{"missing on target: big"})
      << summarize(differences);
}

}  // namespace
}  // namespace riot::test
