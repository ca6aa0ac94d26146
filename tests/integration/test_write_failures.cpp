// A key whose RESTORE fails is reported with its key and the server's error,
// counted, and makes the run exit non-zero; the other keys still land.
#include <random>

#include "snapshot_test_fixture.hpp"

namespace riot::test {
namespace {

constexpr int kExitKeysFailed = 1;
constexpr int kExitFatal = 3;

TEST_F(SnapshotTest, EveryFailedRestoreIsReportedWithItsKey) {
  target_ =
      std::make_unique<RedisServer>(RedisServerOptions{.config = {"rename-command RESTORE \"\""}});
  auto source = source_->connect();
  source.checked({"SET", std::string("odd\r\nkey\0", 9), "v"});
  write_strings(source, 30, 8);

  const auto result = replicate();
  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_NE(result.err.find("31"), std::string::npos) << "31 keys failed\n" << result.describe();
  EXPECT_NE(result.err.find("odd\\r\\nkey\\x00"), std::string::npos)
      << "binary keys are named, escaped\n"
      << result.describe();
  EXPECT_NE(result.err.find("unknown command"), std::string::npos) << result.describe();
}

// A target at maxmemory refuses RESTOREs with OOM. Redis keeps a large input
// buffer after an 8 MB argument, so later writes on the connection may be
// refused too: whatever lands, every key that did not land must be reported
// with its key and error, and the counts must add up. OOM is retried, then
// stops the run as "target full" (test_faults.cpp covers both); one write
// batch holds every key, so none is left unreported in a queue.
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

  const auto result = replicate({"--retry", "1", "--retry-delay", "10", "--write-batch", "1000"});
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
    EXPECT_NE(result.err.find("\"" + key + "\": RESTORE failed: OOM"), std::string::npos)
        << key << " did not land and was not reported";
  }
}

}  // namespace
}  // namespace riot::test
