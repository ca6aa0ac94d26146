// source.scan's estimate of its total under a key filter (MATCH, TYPE, and
// key_slots applied client-side): nothing from DBSIZE before the run, then,
// at every page, either no estimate or one never below the keys already
// emitted and within the documented 15% of the truth; the exact count once
// the walk is over.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

constexpr std::size_t kOtherStrings = 36000;
constexpr std::size_t kMatchingStrings = 3000;  // "m:" keys: 7.5%
constexpr std::size_t kHashes = 1600;           // 4%
constexpr double kDocumentedError = 0.15;

class ScanEstimateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = server_.connect();
    write_strings(connection, kOtherStrings, 8, "o:");
    write_strings(connection, kMatchingStrings, 8, "m:");
    redis::CommandBuffer hashes;
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < kHashes; ++i) keys.push_back("h:" + std::to_string(i));
    for (const std::string& key : keys) hashes.append({"HSET", key, "f", "v"});
    std::vector<redis::Reply> replies;
    connection.pipeline(hashes, replies);
  }

  // Runs the scan with `filter`, checking the estimate at every page against
  // `truth` keys; returns how many pages had one before the end.
  std::size_t check_estimates(json filter, std::size_t truth) {
    json config = {{"uri", server_.uri()}, {"count", 100}};
    config.update(filter);
    TestHost host;
    auto source = make_scan(config, host);
    EXPECT_FALSE(source->estimate_total()) << "DBSIZE only bounds a filtered total";

    CollectingWriter writer;
    std::size_t emitted = 0;
    std::size_t estimated_pages = 0;
    writer.on_push = [&] {
      emitted += writer.batches.back().size();
      const std::optional<std::uint64_t> estimate = source->current_estimate();
      if (!estimate) return;
      ++estimated_pages;
      EXPECT_GE(*estimate, emitted) << "below the keys already emitted";
      const double error =
          std::abs(static_cast<double>(*estimate) - static_cast<double>(truth)) / truth;
      EXPECT_LE(error, kDocumentedError)
          << *estimate << " for " << truth << " keys, after " << emitted << " emitted";
    };
    run_every_partition(*source, writer);
    EXPECT_EQ(emitted, truth);
    EXPECT_EQ(source->current_estimate(), truth) << "the finished walk knows its total";
    return estimated_pages;
  }

  RedisServer server_;
};

TEST_F(ScanEstimateTest, AMatchPatternIsEstimatedFromTheShareSeenSoFar) {
  EXPECT_GT(check_estimates({{"match", "m:*"}}, kMatchingStrings), 0u)
      << "3000 matching keys give an estimate well before the end";
}

TEST_F(ScanEstimateTest, ATypeFilterIsEstimatedAlike) {
  EXPECT_GT(check_estimates({{"type", "hash"}}, kHashes), 0u);
}

TEST_F(ScanEstimateTest, KeySlotsOnASingleServerAreEstimatedAlike) {
  auto connection = server_.connect();
  std::size_t in_slots = 0;
  for (const std::string& key : scan_all_keys(connection))
    if (test_key_slot(key) <= 1637) ++in_slots;
  EXPECT_GT(check_estimates({{"key_slots", "0:1637"}}, in_slots), 0u);
}

TEST_F(ScanEstimateTest, WithoutAFilterTheTotalIsTheDatabaseSize) {
  TestHost host;
  auto source = make_scan({{"uri", server_.uri()}}, host);
  EXPECT_EQ(source->estimate_total(), kOtherStrings + kMatchingStrings + kHashes);
  EXPECT_FALSE(source->current_estimate()) << "nothing to refine";
}

}  // namespace
}  // namespace riot::test
