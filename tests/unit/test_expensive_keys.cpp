// Which keys a reader spares the source after a read command timed out, and
// how it says so.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "dump/expensive_keys.hpp"

namespace riot::dump_plugin {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kMiB = 1 << 20;

KeySize bytes(std::uint64_t amount) {
  return KeySize{KeySize::Measure::bytes, amount, ""};
}

TEST(ExpensiveKeys, TheThresholdFollowsTheTimeout) {
  const ExpensiveKeys two_seconds(2000ms);
  EXPECT_EQ(two_seconds.threshold_bytes(1), 2000 * ((16 * kMiB) / 1000));
  EXPECT_TRUE(two_seconds.is_expensive(bytes(300 * kMiB), 1)) << "the issue's 300 MB key";
  EXPECT_FALSE(two_seconds.is_expensive(bytes(4 * kMiB), 1));
  EXPECT_GT(ExpensiveKeys(30000ms).threshold_bytes(1), two_seconds.threshold_bytes(1));
}

TEST(ExpensiveKeys, SmallKeysAreNeverBlamed) {
  const ExpensiveKeys tiny_timeout(1ms);
  EXPECT_EQ(tiny_timeout.threshold_bytes(1), kMiB);
  EXPECT_FALSE(tiny_timeout.is_expensive(bytes(kMiB - 1), 1));
  EXPECT_FALSE(tiny_timeout.is_expensive(bytes(kMiB - 1), 40)) << "however often it timed out";
  EXPECT_FALSE(tiny_timeout.is_expensive(KeySize{}, 1)) << "an unknown size blames nobody";
}

TEST(ExpensiveKeys, EachFurtherTimeoutOfTheBatchHalvesTheThreshold) {
  const ExpensiveKeys two_seconds(2000ms);
  EXPECT_EQ(two_seconds.threshold_bytes(2), two_seconds.threshold_bytes(1) / 2);
  EXPECT_EQ(two_seconds.threshold_bytes(3), two_seconds.threshold_bytes(1) / 4);
  EXPECT_EQ(two_seconds.threshold_bytes(1000), kMiB);
}

TEST(ExpensiveKeys, AnAggregateKnownByItsLengthIsWeighedByIt) {
  const ExpensiveKeys two_seconds(2000ms);
  const KeySize huge_hash{KeySize::Measure::elements, 50'000'000, "hash"};
  const KeySize small_hash{KeySize::Measure::elements, 100, "hash"};
  EXPECT_TRUE(two_seconds.is_expensive(huge_hash, 1));
  EXPECT_FALSE(two_seconds.is_expensive(small_hash, 1));
  EXPECT_EQ(huge_hash.describe(), "a hash of 50000000 elements");
}

TEST(ExpensiveKeys, TheExplanationNamesTheKeyItsSizeAndTheTimeout) {
  const std::string message =
      ExpensiveKeys(2000ms).explain("DUMP", std::string("big\0key", 7), bytes(300 * kMiB));
  EXPECT_EQ(message.rfind("DUMP of \"big\\x00key\" (~300.0 MiB) exceeded the 2000 ms", 0), 0u)
      << message;
  EXPECT_NE(message.find("not repeated to spare the source"), std::string::npos) << message;
  EXPECT_NE(message.find("--command-timeout"), std::string::npos) << message;
}

}  // namespace
}  // namespace riot::dump_plugin
