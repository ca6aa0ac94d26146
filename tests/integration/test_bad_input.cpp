// Bad input: every mistake a user can make exits non-zero, within the
// configured timeouts, with a message naming what is wrong — never a crash.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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
  const auto result = replicate({"--connect-timeout", "1000", "--command-timeout", "1000"});
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

TEST_F(BadInputTest, AnUnknownModeIsRefusedListingTheModes) {
  const auto result = replicate({"--mode", "verify"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions("'verify' for --mode")) << result.describe();
  EXPECT_TRUE(result.mentions("liveonly, compare")) << result.describe();
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

// --- what `riot validate` refuses, `riot run` refuses the same way, before
// connecting to anything

// Connections a server has accepted so far, asked on a connection that
// stays open, so that asking again counts no new one.
class ConnectionCounter {
 public:
  explicit ConnectionCounter(const RedisServer& server) : connection_(server.connect()) {}
  long long accepted() {
    const std::string info = connection_.checked({"INFO", "stats"}).str;
    const std::string field = "total_connections_received:";
    const auto at = info.find(field);
    return at == std::string::npos ? -1 : std::stoll(info.substr(at + field.size()));
  }

 private:
  redis::Connection connection_;
};

class ValidateLikeRunTest : public BadInputTest {
 protected:
  // A pipeline between the test's two servers, with `stage`'s configuration
  // given keys set to other values.
  nlohmann::json pipeline(const std::string& stage, const nlohmann::json& changes) const {
    nlohmann::json document = {
        {"version", 1},
        {"stages",
         {{"source", {{"component", "source.scan"}, {"config", {{"uri", source_->uri()}}}}},
          {"reader", {{"component", "codec.dump"}, {"config", {{"uri", source_->uri()}}}}},
          {"sink", {{"component", "sink.restore"}, {"config", {{"uri", target_->uri()}}}}}}}};
    document["stages"][stage]["config"].update(changes);
    return document;
  }

  std::string write(const std::string& name, const std::string& text) const {
    const auto path = source_->directory() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // validate and run both exit 2 with "PATH: PLACE" (a JSON pointer and its
  // colon, or a line and column) and `problem`, and run never connects to
  // either server.
  void expect_refused_before_connecting(const std::string& path, const std::string& place,
                                        const std::string& problem) {
    ConnectionCounter source_connections(*source_);
    ConnectionCounter target_connections(*target_);
    const long long source_before = source_connections.accepted();
    const long long target_before = target_connections.accepted();
    for (const std::string command : {"validate", "run"}) {
      const auto result = run_riot({command, path, "--progress", "none"});
      EXPECT_EQ(result.exit_code, kExitUsage) << command << "\n" << result.describe();
      EXPECT_TRUE(result.mentions(path + ": " + place)) << command << "\n" << result.describe();
      EXPECT_TRUE(result.mentions(problem)) << command << "\n" << result.describe();
    }
    EXPECT_EQ(source_connections.accepted(), source_before) << "riot run connected to the source";
    EXPECT_EQ(target_connections.accepted(), target_before) << "riot run connected to the target";
  }
};

TEST_F(ValidateLikeRunTest, ConfigurationsTheComponentsWouldRefuseAreRefusedByBoth) {
  struct Case {
    std::string stage;
    nlohmann::json changes;
    std::string problem;
  };
  const std::string port = std::to_string(source_->port());
  const Case cases[] = {
      {"source", {{"uri", "redis://127.0.0.1:notaport"}}, "port 'notaport' is not a number"},
      {"reader", {{"uri", "redis://127.0.0.1:" + port + "/x"}}, "database 'x' is not a number"},
      {"reader",
       {{"uri", "redis://127.0.0.1:" + port + "/2147483648"}},
       "database '2147483648' is out of range"},
      {"sink", {{"uri", "redis://h1:1,h2:2"}}, "a URI names one server"},
      {"sink", {{"cacert", "/etc/ssl/ca.pem"}}, "'cacert': needs TLS, which is off"},
      {"sink",
       {{"tls", true}, {"cert", "/tmp/client.pem"}},
       "'cert': a client certificate goes with its private key"},
      {"sink",
       {{"tls", true}, {"cacert", "/nonexistent/riot/ca.pem"}},
       "'cacert': cannot read '/nonexistent/riot/ca.pem': no such file or directory"},
      {"source", {{"key_slots", "0:99999"}}, "key_slots"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.stage + " " + c.changes.dump());
    const std::string path = write("refused.json", pipeline(c.stage, c.changes).dump(2));
    expect_refused_before_connecting(path, "/stages/" + c.stage + "/config: ", c.problem);
  }
}

TEST_F(ValidateLikeRunTest, NumbersBeyondTheirFieldAreRefusedWithTheirPlace) {
  const std::string huge =
      write("huge.json", pipeline("source", {{"count", 1e30}, {"retries", 3}}).dump(2));
  expect_refused_before_connecting(huge, "/stages/source/config/count: ", "out of range");

  std::string text = pipeline("reader", {{"retries", "HUGE"}}).dump();
  text.replace(text.find("\"HUGE\""), 6, "1e400");
  const std::string overflow = write("overflow-in-pipeline.json", text);
  expect_refused_before_connecting(overflow, "invalid JSON at line 1, column ", "number overflow");
}

// --- the pipeline file itself

TEST_F(ValidateLikeRunTest, ANumberTooLargeForJsonNamesTheFileAndThePlace) {
  const std::string path =
      write("overflow.json", "{\n  \"version\": 1,\n  \"stages\": {\"x\": 1e400}\n}\n");
  for (const std::string command : {"validate", "run"}) {
    const auto result = run_riot({command, path});
    EXPECT_EQ(result.exit_code, kExitUsage) << command << "\n" << result.describe();
    EXPECT_TRUE(result.mentions(path + ": invalid JSON at line 3, column 19: number overflow "
                                       "parsing '1e400'"))
        << command << "\n"
        << result.describe();
    EXPECT_FALSE(result.mentions("json.exception")) << result.describe();
  }
}

TEST_F(ValidateLikeRunTest, ASyntaxErrorNamesThePlaceButQuotesNoPartOfTheDocument) {
  const std::string path = write(
      "unterminated.json", "{\"stages\": {\"sink\": {\"config\": {\n  \"password\": \"Zq7pSECRET");
  const auto result = run_riot({"validate", path});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.describe();
  EXPECT_TRUE(result.mentions(path + ": invalid JSON at line 2, column")) << result.describe();
  EXPECT_TRUE(result.mentions("missing closing quote")) << result.describe();
  EXPECT_FALSE(result.mentions("SECRET")) << result.describe();
}

TEST_F(ValidateLikeRunTest, ADirectoryOrAMissingFileIsNamedAsSuch) {
  const std::string directory = source_->directory().string();
  const auto on_directory = run_riot({"run", directory});
  EXPECT_EQ(on_directory.exit_code, kExitUsage) << on_directory.describe();
  EXPECT_TRUE(on_directory.mentions("cannot read '" + directory + "': it is a directory"))
      << on_directory.describe();
  EXPECT_FALSE(on_directory.mentions("unexpected end of input")) << on_directory.describe();

  const std::string missing = directory + "/no-such-pipeline.json";
  const auto on_missing = run_riot({"validate", missing});
  EXPECT_EQ(on_missing.exit_code, kExitUsage) << on_missing.describe();
  EXPECT_TRUE(on_missing.mentions("cannot read '" + missing + "': No such file or directory"))
      << on_missing.describe();
}

// --- secrets in the command line's URIs

TEST_F(BadInputTest, MalformedUrisNeverShowTheirPassword) {
  const std::string port = std::to_string(source_->port());
  const std::vector<std::string> uris = {
      "redis://:Zq7pSECRET@127.0.0.1:" + port + "?password=Zq7pSECRET",
      "redis-socket://u:Zq7pSECRET@relative.sock", "unix://:Zq7pSECRET@tmp/r.sock",
      "redis://u:Zq7pSECRET@127.0.0.1:" + port + "/x", "redis://Zq7pSECRET@h1:1,h2:2"};
  for (const std::string& uri : uris) {
    const auto result = replicate(uri, target_->uri());
    EXPECT_EQ(result.exit_code, kExitUsage) << uri << "\n" << result.describe();
    EXPECT_TRUE(result.mentions("invalid URI '")) << result.describe();
    EXPECT_FALSE(result.mentions("Zq7pSECRET")) << uri << "\n" << result.describe();
  }
}

// --- libraries in a plugin directory that are not riot plugins

TEST_F(BadInputTest, AForeignLibraryInAPluginDirectoryIsSkippedWithoutRunningItsCode) {
  const auto directory = std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "foreign";
  const auto library = directory / "libforeign-library.so";
  const auto marker = source_->directory() / "foreign-library-was-loaded";
  ProcessOptions options;
  options.environment = {{"RIOT_FIXTURE_FOREIGN_MARKER", marker.string()}};

  const auto plugins = run_riot({"--plugin-path", directory.string(), "plugins"}, options);
  EXPECT_EQ(plugins.exit_code, 0) << plugins.describe();
  EXPECT_TRUE(plugins.mentions(library.string() + ": skipped, not a riot plugin"))
      << plugins.describe();
  EXPECT_TRUE(plugins.mentions("sink.restore")) << "the other plugins still load\n"
                                                << plugins.describe();
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the foreign library was loaded";

  auto source = source_->connect();
  source.checked({"SET", "k", "v"});
  const auto run = run_riot({"replicate", source_->uri(), target_->uri(), "--progress", "none",
                             "--plugin-path", directory.string()},
                            options);
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_TRUE(run.mentions(library.string() + ": skipped")) << run.describe();
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the foreign library was loaded";
  EXPECT_EQ(target_->connect().checked({"GET", "k"}).str, "v");
}

}  // namespace
}  // namespace riot::test
