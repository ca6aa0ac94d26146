// The retry policy every component shares: the backoff schedule, its
// configuration, the budget of one operation (counted, cancellable), and which
// error replies are worth a retry.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "riot/retry.hpp"

namespace riot {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RetryOptions, DelayDoublesUpToTheCap) {
  const RetryOptions options;  // 100 ms doubling to 5 s
  EXPECT_EQ(options.delay_before(1), 100ms);
  EXPECT_EQ(options.delay_before(2), 200ms);
  EXPECT_EQ(options.delay_before(3), 400ms);
  EXPECT_EQ(options.delay_before(6), 3200ms);
  EXPECT_EQ(options.delay_before(7), 5000ms);
  EXPECT_EQ(options.delay_before(1000000), 5000ms) << "no overflow however many retries";
}

TEST(RetryOptions, AnInitialDelayAboveTheCapStaysConstant) {
  const RetryOptions options{3, 8000ms, 5000ms};
  EXPECT_EQ(options.delay_before(1), 8000ms);
  EXPECT_EQ(options.delay_before(3), 8000ms);
  EXPECT_EQ((RetryOptions{3, 0ms, 5000ms}.delay_before(5)), 0ms);
}

TEST(RetryOptions, ConfigurationKeysAndDefaults) {
  const RetryOptions read = RetryOptions::from_config(
      {{"uri", "redis://x"}, {"retries", 3}, {"retry_delay_ms", 20}, {"retry_max_delay_ms", 70}});
  EXPECT_EQ(read.retries, 3);
  EXPECT_EQ(read.delay, 20ms);
  EXPECT_EQ(read.max_delay, 70ms);

  const RetryOptions defaults = RetryOptions::from_config({{"uri", "redis://x"}});
  EXPECT_EQ(defaults.retries, 10);
  EXPECT_EQ(defaults.delay, 100ms);
  EXPECT_EQ(defaults.max_delay, 5000ms);

  const nlohmann::json schema = RetryOptions::schema_properties();
  EXPECT_EQ(schema["retries"]["default"], 10);
  EXPECT_EQ(schema["retries"]["minimum"], 0);
  EXPECT_EQ(schema["retry_delay_ms"]["default"], 100);
  EXPECT_EQ(schema["retry_max_delay_ms"]["default"], 5000);
}

class RetryBudgetTest : public ::testing::Test {
 protected:
  spdlog::logger logger_{"retry-test"};  // no sinks: the warnings go nowhere
  CancellationToken cancellation_;
};

TEST_F(RetryBudgetTest, AllowsTheConfiguredRetriesThenIsExhausted) {
  const RetryOptions options{2, 1ms, 1ms};
  RetryBudget budget(options, cancellation_);
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::retry);
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::retry);
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::exhausted);
  EXPECT_EQ(budget.retries_made(), 2);
  EXPECT_EQ(budget.describe_attempts().rfind("after 2 retries in ", 0), 0u)
      << budget.describe_attempts();
}

TEST_F(RetryBudgetTest, NoRetriesMeansTheFirstFailureIsFinal) {
  const RetryOptions options{0, 1ms, 1ms};
  RetryBudget budget(options, cancellation_);
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::exhausted);
}

TEST_F(RetryBudgetTest, WaitsTheBackoffDelay) {
  const RetryOptions options{1, 50ms, 50ms};
  RetryBudget budget(options, cancellation_);
  const auto start = Clock::now();
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::retry);
  EXPECT_GE(Clock::now() - start, 50ms);
}

TEST_F(RetryBudgetTest, ACancelledRunStopsWaitingAtOnce) {
  const RetryOptions options{3, 10s, 10s};
  RetryBudget budget(options, cancellation_);
  std::thread canceller([this] {
    std::this_thread::sleep_for(50ms);
    cancellation_.cancel();
  });
  const auto start = Clock::now();
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::cancelled);
  canceller.join();
  EXPECT_LT(Clock::now() - start, 2s) << "not the 10 s backoff";
  EXPECT_EQ(budget.after_failure(logger_, "boom"), RetryVerdict::cancelled);
}

TEST(TransientErrorReplies, AreThoseThatMayPassLater) {
  for (const char* transient :
       {"OOM command not allowed when used memory > 'maxmemory'.",
        "LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script.",
        "TRYAGAIN Multiple keys request during rehashing of slot",
        "CLUSTERDOWN The cluster is down", "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381"})
    EXPECT_TRUE(is_transient_error_reply(transient)) << transient;
  for (const char* permanent :
       {"BUSYKEY Target key name already exists.", "ERR unknown command 'RESTORE'",
        "WRONGTYPE Operation against a key holding the wrong kind of value", "OOMX", ""})
    EXPECT_FALSE(is_transient_error_reply(permanent)) << permanent;
  EXPECT_TRUE(is_out_of_memory_reply("OOM command not allowed"));
  EXPECT_FALSE(is_out_of_memory_reply("LOADING Redis is loading"));
}

TEST(DescribeKeys, CountsAndNamesTheFirstKeysPrintably) {
  EXPECT_EQ(describe_keys(1, {"a"}), "1 key (\"a\")");
  EXPECT_EQ(describe_keys(2, {"a", "b"}), "2 keys (\"a\", \"b\")");
  EXPECT_EQ(describe_keys(10, {"a", "b", "c"}), "10 keys (first: \"a\", \"b\", \"c\")");
  EXPECT_EQ(describe_keys(4, {}), "4 keys");
  const std::string binary("x\0\r\n", 4);
  EXPECT_EQ(describe_keys(1, {binary}), "1 key (\"x\\x00\\r\\n\")");
}

}  // namespace
}  // namespace riot
