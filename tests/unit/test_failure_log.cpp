// Failed keys grouped by cause: a cause is the error with the key and the
// numbers taken out, the first key of a cause is a warning, the others are
// counted and logged one by one at debug level only.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>

#include "failure_log.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

class FailureLogTest : public ::testing::Test {
 protected:
  std::ostringstream out_;
  spdlog::logger logger_{"test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)};
  void SetUp() override {
    logger_.set_pattern("[%l] %v");
    logger_.set_level(spdlog::level::warn);
  }
};

TEST(FailureCauseOf, LeavesOutTheKeyAndTheNumbers) {
  EXPECT_EQ(failure_cause_of("k1", "RESTORE failed: OOM command not allowed"),
            failure_cause_of("k2", "RESTORE failed: OOM command not allowed"));
  EXPECT_EQ(failure_cause_of("user:1", "DUMP \"user:1\" failed: NOPERM"),
            failure_cause_of("user:22", "DUMP \"user:22\" failed: NOPERM"));
  const std::string binary("a\r\nb", 4);
  EXPECT_EQ(failure_cause_of(binary, "DUMP \"a\\r\\nb\" failed: x"),
            failure_cause_of("c", "DUMP \"c\" failed: x"))
      << "the escaped key too";
  EXPECT_EQ(failure_cause_of("k", "RESTORE failed: MOVED 3999 10.0.0.1:7000"),
            failure_cause_of("j", "RESTORE failed: MOVED 12 10.0.0.1:7000"));
  EXPECT_NE(failure_cause_of("k", "RESTORE failed: BUSYKEY Target key name already exists."),
            failure_cause_of("k", "RESTORE failed: OOM command not allowed"));
}

TEST_F(FailureLogTest, OneWarningPerCauseAndTheCountsOfEach) {
  FailureLog log(logger_, 3, 1h);
  for (int i = 0; i < 500; ++i)
    log.add("oom:" + std::to_string(i), "RESTORE failed: OOM command not allowed");
  log.add("busy", "RESTORE failed: BUSYKEY Target key name already exists.");
  log.add("oom:x", "RESTORE failed: OOM command not allowed");

  const std::string text = out_.str();
  EXPECT_EQ(count_of(text, "[warning]"), 2u) << text;
  EXPECT_NE(text.find("[warning] key \"oom:0\": RESTORE failed: OOM"), std::string::npos) << text;
  EXPECT_NE(text.find("[warning] key \"busy\": RESTORE failed: BUSYKEY"), std::string::npos);

  const auto causes = log.causes();
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0].keys, 501u);
  EXPECT_EQ(causes[0].first_keys, (std::vector<std::string>{"oom:0", "oom:1", "oom:2"}));
  EXPECT_EQ(causes[0].error, "RESTORE failed: OOM command not allowed");
  EXPECT_EQ(causes[1].keys, 1u);
}

TEST_F(FailureLogTest, EachKeyHasItsLineAtDebugLevel) {
  logger_.set_level(spdlog::level::debug);
  FailureLog log(logger_, 3, 1h);
  for (int i = 0; i < 10; ++i) log.add("k" + std::to_string(i), "RESTORE failed: ERR x");
  const std::string text = out_.str();
  EXPECT_EQ(count_of(text, "[warning]"), 1u) << text;
  EXPECT_EQ(count_of(text, "[debug] key \"k"), 9u) << text;
}

TEST_F(FailureLogTest, TheCountIsRepeatedOncePerPeriod) {
  // A period of zero: every further key of the cause says the count.
  FailureLog log(logger_, 2, 0s);
  for (int i = 0; i < 4; ++i) log.add("k" + std::to_string(i), "RESTORE failed: ERR x");
  const std::string text = out_.str();
  EXPECT_NE(text.find("[warning] 4 keys (first: \"k0\", \"k1\") failed so far: RESTORE failed: "
                      "ERR x"),
            std::string::npos)
      << text;
}

TEST_F(FailureLogTest, CausesBeyondAHundredAreCountedTogether) {
  FailureLog log(logger_, 1, 1h);
  for (int i = 0; i < 150; ++i)
    log.add("k",
            "ERR cause " + std::string(1, char('A' + i % 26)) + std::string(1, char('a' + i / 26)));
  const auto causes = log.causes();
  ASSERT_EQ(causes.size(), 101u);
  EXPECT_EQ(causes.back().keys, 50u);
  EXPECT_NE(causes.back().error.find("other reasons"), std::string::npos);
}

}  // namespace
}  // namespace riot::host
