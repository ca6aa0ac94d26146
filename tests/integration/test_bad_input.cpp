// Bad input: every mistake a user can make exits non-zero, within the
// configured timeouts, with a message naming what is wrong — never a crash.
#include <filesystem>
#include <fstream>

#include "snapshot_test_fixture.hpp"

namespace riot::test {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

class BadInputTest : public SnapshotTest {};

TEST_F(BadInputTest, WrongPasswordNamesTheSideAndTheServerError) {
  source_ = std::make_unique<RedisServer>(RedisServerOptions{.password = "right"});
  const std::string uri = "redis://:wrong@127.0.0.1:" + std::to_string(source_->port());
  const auto result = replicate(uri, target_->uri());
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("source 127.0.0.1:" + std::to_string(source_->port())))
      << result.describe();
  EXPECT_TRUE(result.mentions("WRONGPASS")) << result.describe();
  EXPECT_FALSE(result.mentions(":wrong@")) << "the password must not be printed";
}

TEST_F(BadInputTest, PasswordOptionsOverrideTheUri) {
  source_ = std::make_unique<RedisServer>(RedisServerOptions{.password = "s3cret"});
  auto admin = source_->connect();
  admin.checked({"ACL", "SETUSER", "migrator", "on", ">m1gr@te", "~*", "+@all"});
  write_strings(admin, 20, 8);
  const std::string plain = "redis://127.0.0.1:" + std::to_string(source_->port());

  const auto by_password = replicate(plain, target_->uri(), {"--source-pass", "s3cret"});
  EXPECT_EQ(by_password.exit_code, 0) << by_password.describe();

  auto target = target_->connect();
  target.checked({"FLUSHALL"});
  const auto by_user =
      replicate(plain, target_->uri(), {"--source-user", "migrator", "--source-pass", "m1gr@te"});
  EXPECT_EQ(by_user.exit_code, 0) << by_user.describe();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 20);
}

TEST_F(BadInputTest, UnreachableTargetFailsFastNamingTheTarget) {
  const std::uint16_t closed_port = free_port();
  const std::string uri = "redis://127.0.0.1:" + std::to_string(closed_port);
  const auto result = replicate(source_->uri(), uri, {"--connect-timeout", "2000"});
  EXPECT_EQ(result.exit_code, kExitFatal) << result.describe();
  EXPECT_TRUE(result.mentions("target 127.0.0.1:" + std::to_string(closed_port)))
      << result.describe();
  EXPECT_LT(result.seconds, 20.0);
}

TEST_F(BadInputTest, UnresponsiveTargetTimesOutNamingTheTarget) {
  auto source = source_->connect();
  write_strings(source, 10, 8);
  target_->pause();
  const auto result = replicate({"--connect-timeout", "1000", "--timeout", "1000"});
  target_->resume();
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(result.mentions("target 127.0.0.1:" + std::to_string(target_->port())))
      << result.describe();
  EXPECT_LT(result.seconds, 30.0) << "the timeouts must bound the run";
}

TEST_F(BadInputTest, MalformedUriIsAUsageErrorNamingTheUri) {
  const auto result = replicate("redis://127.0.0.1:notaport", target_->uri());
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("redis://127.0.0.1:notaport")) << result.describe();

  const auto scheme = replicate(source_->uri(), "http://127.0.0.1:1");
  EXPECT_EQ(scheme.exit_code, kExitUsage) << scheme.describe();
  EXPECT_TRUE(scheme.mentions("http://127.0.0.1:1")) << scheme.describe();
}

TEST_F(BadInputTest, UnknownOptionIsNamed) {
  const auto result = replicate({"--no-such-option"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("no-such-option")) << result.describe();
}

TEST_F(BadInputTest, ModesOfLaterVersionsAreRefusedClearly) {
  const auto result = replicate({"--mode", "live"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("--mode")) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 0);
}

TEST_F(BadInputTest, InvalidPipelineReportsEveryErrorWithItsPointer) {
  const auto path = source_->directory() / "broken.json";
  std::ofstream(path) << R"({
    "stages": {
      "source": {"component": "source.scna", "config": {"uri": "redis://127.0.0.1:1"}},
      "reader": {"component": "codec.dump", "config": {"uri": 42}},
      "sink": {"component": "sink.restore", "config": {"uri": "redis://127.0.0.1:1", "urii": "x"}}
    }
  })";
  for (const std::string command : {"validate", "run"}) {
    const auto result = run_riot({command, path.string()});
    EXPECT_EQ(result.exit_code, kExitUsage) << command << "\n" << result.describe();
    EXPECT_TRUE(result.mentions("/stages/source/component")) << result.describe();
    EXPECT_TRUE(result.mentions("source.scan")) << "nearest name suggested\n" << result.describe();
    EXPECT_TRUE(result.mentions("/stages/reader/config/uri")) << result.describe();
    EXPECT_TRUE(result.mentions("/stages/sink/config/urii")) << result.describe();
  }
}

TEST_F(BadInputTest, UnparsableJsonNamesTheFile) {
  const auto path = source_->directory() / "not-json.json";
  std::ofstream(path) << "{\"stages\": ";
  const auto result = run_riot({"validate", path.string()});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions(path.string())) << result.describe();
}

TEST_F(BadInputTest, MissingPluginDirectoryIsNamed) {
  const auto result = run_riot({"--plugin-path", "/nonexistent/riot-plugins", "plugins"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("/nonexistent/riot-plugins")) << result.describe();
}

TEST_F(BadInputTest, PluginsListsTheBundledComponents) {
  const auto result = run_riot({"plugins"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  for (const std::string name : {"source.scan", "codec.dump", "sink.restore", "sink.null"})
    EXPECT_TRUE(result.mentions(name)) << name << "\n" << result.describe();
  const auto schema = run_riot({"plugins", "--schema", "sink.restore"});
  ASSERT_EQ(schema.exit_code, 0) << schema.describe();
  EXPECT_TRUE(nlohmann::json::accept(schema.out)) << schema.out;
}

}  // namespace
}  // namespace riot::test
