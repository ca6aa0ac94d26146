// The estimate of a filtered scan's total from the share of keys emitted so
// far and the share of the hash table walked, on tables walked the way Redis
// walks them (dict.c's reverse-binary cursor).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "scan/scan_progress.hpp"

namespace riot::scan_plugin {
namespace {

std::uint64_t reversed(std::uint64_t value) {
  std::uint64_t result = 0;
  for (int bit = 0; bit < 64; ++bit, value >>= 1) result = (result << 1) | (value & 1);
  return result;
}

// The cursor after `cursor` on a table of `mask` + 1 buckets, as dictScan
// computes it: the high bits set, reversed, incremented, reversed back.
std::uint64_t next_cursor(std::uint64_t cursor, std::uint64_t mask) {
  cursor |= ~mask;
  return reversed(reversed(cursor) + 1);
}

TEST(WalkedFraction, GrowsBucketByBucketAlongRedisCursorOrder) {
  for (int bits : {1, 4, 10, 16}) {
    const std::uint64_t buckets = std::uint64_t{1} << bits;
    std::uint64_t cursor = 0;
    for (std::uint64_t visited = 1; visited <= buckets; ++visited) {
      cursor = next_cursor(cursor, buckets - 1);
      const double expected =
          visited == buckets ? 1.0 : static_cast<double>(visited) / static_cast<double>(buckets);
      ASSERT_DOUBLE_EQ(walked_fraction(cursor), expected) << bits << " bits, bucket " << visited;
    }
    EXPECT_EQ(cursor, 0u) << "the walk ends at cursor 0";
  }
}

// A table of 2^bits buckets holding `keys` keys, a share `matching` of which
// pass the filter; walks it SCAN's way and checks every estimate on the way.
struct WalkCheck {
  std::uint64_t true_total = 0;
  std::uint64_t estimates = 0;  // steps at which an estimate was given
  double worst_error = 0;       // relative
  std::uint64_t first_at_emitted = 0;
};

WalkCheck walk_table(int bits, std::uint64_t keys, double matching, std::uint32_t seed) {
  const std::uint64_t buckets = std::uint64_t{1} << bits;
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::uint64_t> bucket_of(0, buckets - 1);
  std::bernoulli_distribution matches(matching);
  std::vector<std::uint64_t> matching_in_bucket(buckets);
  WalkCheck check;
  for (std::uint64_t key = 0; key < keys; ++key) {
    if (!matches(random)) continue;
    ++matching_in_bucket[bucket_of(random)];
    ++check.true_total;
  }
  ScanProgress progress;
  std::uint64_t cursor = 0;
  std::uint64_t emitted = 0;
  const std::uint64_t page_buckets = 64;  // SCAN visits a few buckets per call
  do {
    std::uint64_t page = 0;
    for (std::uint64_t i = 0; i < page_buckets; ++i) {
      page += matching_in_bucket[cursor];
      cursor = next_cursor(cursor, buckets - 1);
      if (cursor == 0) break;
    }
    emitted += page;
    progress.page(std::to_string(cursor), page);
    const WalkSample sample = progress.sample();
    const std::vector<WalkSample> walks{sample};
    const auto estimate = estimate_total_keys(walks);
    if (!estimate) continue;
    if (check.estimates++ == 0) check.first_at_emitted = emitted;
    EXPECT_GE(*estimate, emitted) << "below the keys already emitted";
    const double error = std::abs(static_cast<double>(*estimate) - check.true_total) /
                         static_cast<double>(check.true_total);
    check.worst_error = std::max(check.worst_error, error);
  } while (cursor != 0);
  const auto final_estimate = estimate_total_keys(std::vector<WalkSample>{progress.sample()});
  EXPECT_EQ(final_estimate, check.true_total) << "a finished walk knows its total";
  return check;
}

TEST(FilteredScanEstimate, WithinFifteenPercentOnceGivenForAnEightPercentPattern) {
  for (std::uint32_t seed = 1; seed <= 10; ++seed) {
    const WalkCheck check = walk_table(17, 100000, 0.08, seed);
    EXPECT_GT(check.estimates, 0u) << "seed " << seed;
    EXPECT_LE(check.worst_error, 0.15) << "seed " << seed;
    EXPECT_GE(check.first_at_emitted, kFewestKeysForEstimate) << "seed " << seed;
  }
}

TEST(FilteredScanEstimate, RareMatchesGiveNoEstimateUntilTheEnd) {
  const WalkCheck check = walk_table(14, 20000, 0.03, 7);  // about 600 matching keys
  EXPECT_EQ(check.estimates, 1u) << "only the finished walk's exact count";
}

TEST(FilteredScanEstimate, NoEstimateBeforeAWalkCoveredEnoughOfItsTable) {
  WalkSample barely_started{.emitted = 5000, .walked = 0.001, .finished = false};
  EXPECT_FALSE(estimate_total_keys(std::vector<WalkSample>{barely_started}));
}

TEST(FilteredScanEstimate, ShardsAddUpAndAFinishedShardCountsExactly) {
  const std::vector<WalkSample> shards{
      {.emitted = 600, .walked = 0.25, .finished = false},  // about 2400 in all
      {.emitted = 500, .walked = 1.0, .finished = true},
      {.emitted = 0, .walked = 0.5, .finished = false},  // no matching key so far
  };
  EXPECT_EQ(estimate_total_keys(shards), 2900u);
  const std::vector<WalkSample> one_shard_unstarted{
      {.emitted = 3000, .walked = 0.5, .finished = false},
      {.emitted = 0, .walked = 0, .finished = false},
  };
  EXPECT_FALSE(estimate_total_keys(one_shard_unstarted)) << "that shard could hold anything";
}

TEST(FilteredScanEstimate, ARestartedWalkForgetsItsFirstPass) {
  ScanProgress progress;
  progress.page(std::to_string(reversed(std::uint64_t{1} << 62)), 1000);  // a quarter walked
  progress.restart();
  const WalkSample sample = progress.sample();
  EXPECT_EQ(sample.emitted, 0u);
  EXPECT_EQ(sample.walked, 0.0);
  EXPECT_FALSE(sample.finished);
}

// Newer servers keep one table per slot in cluster mode and put the slot in
// the cursor's low 14 bits: read as one table's cursor, its fraction jumps
// about. It gives no estimate rather than a wrong one.
TEST(FilteredScanEstimate, ACursorThatGoesBackGivesNoEstimate) {
  ScanProgress progress;
  const std::uint64_t slot_5461 = 5461, slot_5462 = 5462;
  progress.page(std::to_string((std::uint64_t{3} << 14) | slot_5461), 2000);
  progress.page(std::to_string((std::uint64_t{0} << 14) | slot_5462), 2000);
  EXPECT_TRUE(progress.sample().unreadable);
  EXPECT_FALSE(estimate_total_keys(std::vector<WalkSample>{progress.sample()}));
  progress.page("0", 10);
  EXPECT_EQ(estimate_total_keys(std::vector<WalkSample>{progress.sample()}), 4010u)
      << "the finished walk's count is exact all the same";
}

TEST(FilteredScanEstimate, ACursorThatIsNotANumberKeepsTheFractionWalked) {
  ScanProgress progress;
  progress.page(std::to_string(reversed(std::uint64_t{1} << 63)), 10);  // half walked
  progress.page("not-a-cursor", 5);
  EXPECT_DOUBLE_EQ(progress.sample().walked, 0.5);
  EXPECT_EQ(progress.sample().emitted, 15u);
}

}  // namespace
}  // namespace riot::scan_plugin
