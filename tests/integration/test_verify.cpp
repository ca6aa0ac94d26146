// The verification that follows a copy, through the riot binary against real
// servers: a faithful snapshot is verified clean; a target that differs
// behind riot's back is found (exit 4); --repair-extra after a snapshot
// leaves the two equal; a live run ended by its idle timeout is verified;
// --no-verify and --dry-run verify nothing; the printed two-pipeline
// document runs the same job.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "compare_test_support.hpp"
#include "snapshot_test_fixture.hpp"

namespace riot::test {
namespace {

constexpr int kExitDifferences = 4;

using VerifyTest = SnapshotTest;

TEST_F(VerifyTest, FaithfulSnapshotIsVerifiedClean) {
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 500});
  const long long keys = source.checked({"DBSIZE"}).integer;
  const auto result = replicate({"--show-diffs"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(comparison_counts(result, "verify"), (ComparisonCounts{.keys = keys, .ok = keys}))
      << result.describe();
  EXPECT_TRUE(result.out.empty()) << "no difference, no line: " << result.out;
}

// A key the target lost after the copy (deleted behind riot's back) is
// found missing by the next comparison; one the target held before the
// snapshot is found extra by the snapshot's own verification.
TEST_F(VerifyTest, DifferencesBehindRiotsBackAreFound) {
  auto source = source_->connect();
  auto target = target_->connect();
  write_strings(source, 200, 16, "key:");
  target.checked({"SET", "only:target", "x"});

  const auto snapshot = replicate({"--show-diffs"});
  EXPECT_EQ(snapshot.exit_code, kExitDifferences) << snapshot.describe();
  EXPECT_EQ(comparison_counts(snapshot, "verify"),
            (ComparisonCounts{.keys = 201, .ok = 200, .extra = 1}))
      << snapshot.describe();
  EXPECT_NE(snapshot.out.find("extra \"only:target\""), std::string::npos) << snapshot.out;

  target.checked({"DEL", "key:42"});
  const auto compared = replicate({"--mode", "compare", "--show-diffs"});
  EXPECT_EQ(compared.exit_code, kExitDifferences) << compared.describe();
  EXPECT_EQ(comparison_counts(compared, "compare"),
            (ComparisonCounts{.keys = 201, .ok = 199, .missing = 1, .extra = 1}))
      << compared.describe();
  EXPECT_NE(compared.out.find("missing \"key:42\""), std::string::npos) << compared.out;
}

TEST_F(VerifyTest, SnapshotWithRepairExtraLeavesTheDatabasesEqual) {
  auto source = source_->connect();
  auto target = target_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 100});
  target.checked({"SET", "only:target", "x"});
  const auto result = replicate({"--repair-extra"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(target.checked({"EXISTS", "only:target"}).integer, 0);
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST_F(VerifyTest, NothingIsVerifiedWithoutAWrite) {
  auto source = source_->connect();
  write_strings(source, 50, 16, "key:");
  for (const auto& options :
       std::vector<std::vector<std::string>>{{"--no-verify"}, {"--dry-run"}}) {
    const auto result = replicate(options);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_FALSE(comparison_counts(result, "verify")) << options[0] << "\n" << result.describe();
  }
}

TEST_F(VerifyTest, LiveRunEndedByItsIdleTimeoutIsVerified) {
  source_ =
      std::make_unique<RedisServer>(RedisServerOptions{.config = {"notify-keyspace-events KEA"}});
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 200});
  const long long keys = source.checked({"DBSIZE"}).integer;
  const auto result = replicate({"--mode", "live", "--idle-timeout", "300"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(comparison_counts(result, "verify"), (ComparisonCounts{.keys = keys, .ok = keys}))
      << result.describe();
}

TEST_F(VerifyTest, PrintedPipelineRunsTheCopyAndItsVerification) {
  auto source = source_->connect();
  write_strings(source, 100, 16, "key:");
  const auto printed = replicate({"--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  auto target = target_->connect();
  target.checked({"SET", "only:target", "x"});
  const auto run = run_riot({"run", "-", "--progress", "none"}, {.stdin_data = printed.out});
  EXPECT_EQ(run.exit_code, kExitDifferences) << run.describe();
  EXPECT_EQ(comparison_counts(run, "verify"),
            (ComparisonCounts{.keys = 101, .ok = 100, .extra = 1}))
      << run.describe();
}

}  // namespace
}  // namespace riot::test
