// TTLs must not depend on riot's own clock: riot runs under libfaketime with
// its wall clock hours behind or ahead of the servers', and every key still
// lands with the TTL it has on the source (a key whose TTL is shorter than
// the skew must not vanish, nor live hours longer).
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "riot/record.hpp"
#include "snapshot_test_fixture.hpp"

namespace riot::test {
namespace {

// Debian's faketime package; the multi-threaded variant, since riot runs
// threads.
constexpr const char* kFaketimeLibrary = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

ProcessOptions skewed_clock(const std::string& offset) {
  ProcessOptions options;
  options.environment = {{"LD_PRELOAD", kFaketimeLibrary}, {"FAKETIME", offset}};
  // Under AddressSanitizer a preloaded library comes before the sanitizer's
  // runtime, which ASan refuses unless told that this is intended.
  std::string asan_options = "verify_asan_link_order=0";
  if (const char* inherited = std::getenv("ASAN_OPTIONS"); inherited && *inherited)
    asan_options = std::string(inherited) + ":" + asan_options;
  options.environment.emplace_back("ASAN_OPTIONS", asan_options);
  return options;
}

long long unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct ExpiringKey {
  std::string key;
  long long ttl_ms;
};

class ClockSkewTest : public SnapshotTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(ClockSkewTest, TtlsFollowTheSourceWhateverRiotsClockSays) {
  ASSERT_TRUE(std::filesystem::exists(kFaketimeLibrary))
      << kFaketimeLibrary << " is missing: scripts/install-deps.sh installs the faketime package";
  const std::string offset = GetParam();  // "-2h" or "+2h"
  const ProcessOptions skewed = skewed_clock(offset);

  // The skew is real: a program under the same environment sees it.
  const ProcessResult date = run_process({"date", "+%s"}, skewed);
  ASSERT_EQ(date.exit_code, 0) << date.describe();
  const long long skew_seconds = std::stoll(date.out) - unix_seconds();
  ASSERT_GT(std::llabs(skew_seconds), 7000) << "faketime did not skew the clock: " << date.out;

  // TTLs shorter and longer than the skew, a binary key among them.
  const std::vector<ExpiringKey> keys{{"thirty-seconds", 30'000},
                                      {"one-hour", 3'600'000},
                                      {std::string("one-day\0\r\n\xff", 11), 86'400'000}};
  auto source = source_->connect();
  for (const ExpiringKey& key : keys) {
    source.checked({"SET", key.key, "value of " + key.key, "PX", std::to_string(key.ttl_ms)});
  }
  source.checked({"SET", "persistent", "no TTL"});

  const ProcessResult result =
      run_riot({"replicate", source_->uri(), target_->uri(), "--progress", "none"}, skewed);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), 4) << result.describe();

  auto target = target_->connect();
  for (const ExpiringKey& key : keys) {
    SCOPED_TRACE(printable_key(key.key));
    // Read the target first: its TTL can only have shrunk by the time the
    // source's is read, so the difference is riot's error plus a little.
    const long long target_pttl = target.checked({"PTTL", key.key}).integer;
    const long long source_pttl = source.checked({"PTTL", key.key}).integer;
    ASSERT_GT(target_pttl, 0) << "the key must exist on the target with a TTL";
    // Never shorter than the source's; longer by at most the write's transit.
    EXPECT_GE(target_pttl, source_pttl - 50);
    EXPECT_LE(target_pttl, source_pttl + 2'000);
  }
  EXPECT_EQ(target.checked({"PTTL", "persistent"}).integer, -1);
}

std::string skew_name(const ::testing::TestParamInfo<const char*>& param) {
  return param.param[0] == '-' ? "Behind" : "Ahead";
}

INSTANTIATE_TEST_SUITE_P(RiotClockBehindOrAhead, ClockSkewTest, ::testing::Values("-2h", "+2h"),
                         skew_name);

}  // namespace
}  // namespace riot::test
