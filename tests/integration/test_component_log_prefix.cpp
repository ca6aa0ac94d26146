// Every message of a component names it once: the host's component logger
// writes the "codec.dump: " prefix, the plugins' messages do not repeat it
// (neither do the SDK helpers that log for them, such as the retry warnings
// of RetryingPipeline and log_client_mode).
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <string>
#include <vector>

#include "snapshot_test_fixture.hpp"
#include "support/fake_redis_server.hpp"

namespace riot::test {
namespace {

// "codec.dump: codec.dump: ..." or "sink.restore: source.scan: ...": a line
// that names a component after the logger named one.
bool names_a_component_twice(const ProcessResult& result) {
  static const std::regex twice(R"((source|codec|sink)\.[a-z]+: (source|codec|sink)\.[a-z]+: )");
  return std::regex_search(result.err, twice) || std::regex_search(result.out, twice);
}

using ComponentLogPrefixTest = SnapshotTest;

TEST_F(ComponentLogPrefixTest, EachComponentIsNamedOnceInItsMessages) {
  redis::Connection source = source_->connect();
  for (int i = 0; i < 20; ++i) source.checked({"SET", "key:" + std::to_string(i), "value"});

  const ProcessResult result = replicate({"--debug"});

  ASSERT_EQ(result.exit_code, 0) << result.describe();
  const std::string source_port = std::to_string(source_->port());
  EXPECT_TRUE(result.mentions("source.scan: source 127.0.0.1:" + source_port + " is a single"))
      << result.describe();
  EXPECT_TRUE(result.mentions("codec.dump: source 127.0.0.1:" + source_port + " is a single"))
      << result.describe();
  EXPECT_TRUE(result.mentions("codec.dump: batch of ")) << result.describe();
  EXPECT_TRUE(result.mentions("sink.restore: target 127.0.0.1:")) << result.describe();
  EXPECT_FALSE(names_a_component_twice(result)) << result.describe();
}

TEST_F(ComponentLogPrefixTest, RetryWarningsNameTheComponentOnce) {
  redis::Connection source = source_->connect();
  source.checked({"SET", "key", "value"});
  // A target that answers its first RESTORE as a server still loading.
  std::atomic<int> restores{0};
  FakeRedisServer loading([&restores](const std::vector<std::string>& command) -> std::string {
    if (std::string reply = FakeRedisServer::handshake_reply(command); !reply.empty()) return reply;
    if (++restores == 1) return "-LOADING Redis is loading the dataset in memory\r\n";
    return "+OK\r\n";
  });

  const ProcessResult result =
      replicate(source_->uri(), loading.uri(), {"--retry-delay", "1", "--no-verify"});

  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("sink.restore: target 127.0.0.1:" + std::to_string(loading.port()) +
                              ": 1 key (\"key\") refused: LOADING"))
      << result.describe();
  EXPECT_FALSE(names_a_component_twice(result)) << result.describe();
}

}  // namespace
}  // namespace riot::test
