// End to end: `riot replicate` between two real servers, checked by an
// independent comparison of every key (type, value, TTL).
#include <algorithm>
#include <fstream>
#include <set>

#include "snapshot_test_fixture.hpp"

namespace riot::test {
namespace {

std::set<std::string> key_set(redis::Connection& connection) {
  const auto keys = scan_all_keys(connection);
  return {keys.begin(), keys.end()};
}

TEST_F(SnapshotTest, CopiesEveryTypeFromDatabase3IntoDatabase5) {
  auto source = source_->connect(3);
  const std::size_t written = write_every_type_dataset(source);
  ASSERT_GT(written, 1000u);

  const auto result = replicate(source_->uri(3), target_->uri(5));
  ASSERT_EQ(result.exit_code, 0) << result.describe();

  auto target = target_->connect(5);
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<long long>(written));
  auto target_db0 = target_->connect(0);
  EXPECT_EQ(target_db0.checked({"DBSIZE"}).integer, 0) << "nothing may land outside db 5";
  EXPECT_NE(result.err.find(std::to_string(written)), std::string::npos)
      << "the summary reports the number of keys\n"
      << result.describe();
}

TEST_F(SnapshotTest, OverwritesKeysAlreadyOnTheTarget) {
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 100});
  auto target = target_->connect();
  target.checked({"SET", "hash:small", "a string where the source has a hash"});
  target.checked({"RPUSH", "string:plain", "a list where the source has a string"});
  target.checked({"SET", "small:1", "stale value"});

  const auto result = replicate();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(SnapshotTest, DryRunReadsEverythingAndWritesNothing) {
  auto source = source_->connect();
  write_strings(source, 500, 20);
  const auto result = replicate({"--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 0);
  EXPECT_NE(result.err.find("500"), std::string::npos) << result.describe();
}

TEST_F(SnapshotTest, KeyPatternSelectsExactlyTheMatchingKeys) {
  auto source = source_->connect();
  write_strings(source, 300, 10, "user:");
  write_strings(source, 200, 10, "session:");
  source.checked({"HSET", "user-profile", "f", "v"});  // close to the pattern, not matching

  const auto result = replicate({"--key-pattern", "user:*"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  const auto copied = key_set(target);
  EXPECT_EQ(copied.size(), 300u);
  for (const auto& key : copied) EXPECT_EQ(key.rfind("user:", 0), 0u) << key;
}

TEST_F(SnapshotTest, KeyTypeSelectsExactlyTheKeysOfThatType) {
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 50});

  const auto result = replicate({"--key-type", "hash"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  std::set<std::string> expected;
  for (const auto& key : scan_all_keys(source))
    if (source.checked({"TYPE", key}).str == "hash") expected.insert(key);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(key_set(target), expected);
}

TEST_F(SnapshotTest, RiotSpellingsOfTheScanOptionsAreAccepted) {
  auto source = source_->connect();
  write_strings(source, 50, 10, "a:");
  write_strings(source, 50, 10, "b:");
  const auto result = replicate({"--scan-match", "b:*", "--scan-count", "7", "--mode", "snapshot"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 50);
}

TEST_F(SnapshotTest, PrintedPipelineRunsTheSameJob) {
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 200});

  const auto printed =
      replicate({"--print-pipeline", "--read-threads", "2", "--write-batch", "50"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 0) << "--print-pipeline must not run the job";

  const auto run = run_riot({"run", "-", "--progress", "none"}, {.stdin_data = printed.out});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(SnapshotTest, ManyKeysAreAllCopied) {
  auto source = source_->connect();
  constexpr std::size_t kKeys = 200000;
  write_strings(source, kKeys, 50);
  const auto result = replicate();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(key_set(target), key_set(source));
  for (const std::string key : {"key:0", "key:77777", "key:199999"})
    EXPECT_EQ(target.checked({"GET", key}).str, source.checked({"GET", key}).str) << key;
}

TEST_F(SnapshotTest, ManagedServiceWithRenamedAdminCommandsReplicatesTheSame) {
  source_ = std::make_unique<RedisServer>(RedisServerOptions{.config = managed_service_config()});
  target_ = std::make_unique<RedisServer>(RedisServerOptions{.config = managed_service_config()});
  auto source = source_->connect();
  ASSERT_TRUE(source.command({"CONFIG", "GET", "maxmemory"}).is_error())
      << "the managed-service server must refuse CONFIG";
  write_every_type_dataset(source, {.large_values = false, .small_strings = 300});

  const auto result = replicate();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

}  // namespace
}  // namespace riot::test
