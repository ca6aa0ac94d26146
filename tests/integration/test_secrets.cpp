// Secrets kept off the command line, end to end with the riot binary against
// servers that require a password (requirepass, ACL users, TLS keys): from
// the environment, from files, REDISCLI_AUTH, printed pipelines that hold
// references and run again with the environment alone; and no secret in any
// output at debug level when runs fail in every way we can make them fail.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"
#include "support/test_files.hpp"
#include "support/tls_certificates.hpp"

namespace riot::test {
namespace {

using nlohmann::json;
using Environment = std::vector<std::pair<std::string, std::string>>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string plain_uri(const RedisServer& server) {
  return "redis://127.0.0.1:" + std::to_string(server.port());
}

RedisServerOptions with_password(const std::string& password) {
  RedisServerOptions options;
  options.password = password;
  return options;
}

std::string write_secret_file(const std::filesystem::path& directory, const std::string& name,
                              const std::string& secret) {
  const auto path = directory / name;
  std::ofstream(path) << secret << '\n';
  return path.string();
}

ProcessResult riot(std::vector<std::string> args, Environment environment = {},
                   std::string stdin_data = "") {
  ProcessOptions options;
  options.environment = std::move(environment);
  options.stdin_data = std::move(stdin_data);
  return run_riot(args, options);
}

class SecretsTest : public ::testing::Test {
 protected:
  void fill_source() {
    auto connection = source_->connect();
    write_strings(connection, 200, 16);
  }

  void expect_copied() {
    auto from = source_->connect();
    auto to = target_->connect();
    const auto differences = compare_databases(from, to);
    EXPECT_TRUE(differences.empty()) << summarize(differences);
    EXPECT_EQ(to.checked({"DBSIZE"}).integer, 200);
  }

  static constexpr const char* kSourcePassword = "src-pw-7f3a";
  static constexpr const char* kTargetPassword = "dst-pw-91c2";
  std::unique_ptr<RedisServer> source_ =
      std::make_unique<RedisServer>(with_password(kSourcePassword));
  std::unique_ptr<RedisServer> target_ =
      std::make_unique<RedisServer>(with_password(kTargetPassword));
  std::filesystem::path directory_ = make_temp_directory("secrets");
};

TEST_F(SecretsTest, PasswordsFromTheEnvironment) {
  fill_source();
  const auto result =
      riot({"replicate", plain_uri(*source_), plain_uri(*target_), "--progress", "none"},
           {{"RIOT_SOURCE_PASS", kSourcePassword}, {"RIOT_TARGET_PASS", kTargetPassword}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied();
}

TEST_F(SecretsTest, PasswordsFromFiles) {
  fill_source();
  const auto result =
      riot({"replicate", plain_uri(*source_), plain_uri(*target_), "--progress", "none",
            "--source-pass-file", write_secret_file(directory_, "source", kSourcePassword),
            "--target-pass-file", write_secret_file(directory_, "target", kTargetPassword)});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied();
}

TEST_F(SecretsTest, RedisCliAuthStandsInForBothSides) {
  target_ = std::make_unique<RedisServer>(with_password(kSourcePassword));
  fill_source();
  const auto result =
      riot({"replicate", plain_uri(*source_), plain_uri(*target_), "--progress", "none"},
           {{"REDISCLI_AUTH", kSourcePassword}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied();
}

TEST_F(SecretsTest, TheEnvironmentIsBelowTheOptionAndTheFileBelowTheUri) {
  fill_source();
  // Wrong passwords in the lower channels: the run only works if the higher
  // ones win.
  const auto result = riot(
      {"replicate",
       "redis://:" + std::string(kSourcePassword) + "@127.0.0.1:" + std::to_string(source_->port()),
       plain_uri(*target_), "--progress", "none", "--target-pass", kTargetPassword,
       "--source-pass-file", write_secret_file(directory_, "wrong", "wrong-file-password")},
      {{"RIOT_TARGET_PASS", "wrong-env-password"}, {"REDISCLI_AUTH", "wrong-cli-password"}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied();
  EXPECT_TRUE(contains(result.err, "--source-pass-file is not read")) << result.describe();
}

TEST_F(SecretsTest, AnAclUserWithAPasswordFromTheEnvironment) {
  RedisServerOptions acl;
  acl.config = {"user migrator on >acl-pw-55e1 ~* &* +@all"};
  target_ = std::make_unique<RedisServer>(std::move(acl));
  fill_source();
  const auto result =
      riot({"replicate", plain_uri(*source_), plain_uri(*target_), "--progress", "none",
            "--target-user", "migrator"},
           {{"RIOT_SOURCE_PASS", kSourcePassword}, {"RIOT_TARGET_PASS", "acl-pw-55e1"}});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  expect_copied();
}

TEST_F(SecretsTest, APrintedPipelineHoldsReferencesAndRunsWithTheEnvironmentAlone) {
  fill_source();
  const std::string target_file = write_secret_file(directory_, "target", kTargetPassword);
  const Environment environment{{"RIOT_SOURCE_PASS", kSourcePassword}};
  const auto printed = riot({"replicate", plain_uri(*source_), plain_uri(*target_),
                             "--target-pass-file", target_file, "--print-pipeline"},
                            environment);
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  EXPECT_FALSE(contains(printed.out + printed.err, kSourcePassword)) << printed.describe();
  EXPECT_FALSE(contains(printed.out + printed.err, kTargetPassword)) << printed.describe();
  EXPECT_FALSE(contains(printed.err, "holds a password")) << "no password was typed in";
  const json document = json::parse(printed.out);
  const json& copy = document["pipelines"][0]["stages"];
  EXPECT_EQ(copy["source"]["config"]["password"], (json{{"$env", "RIOT_SOURCE_PASS"}}));
  EXPECT_EQ(copy["sink"]["config"]["password"], (json{{"$file", target_file}}));

  const auto run = riot({"run", "-", "--progress", "none"}, environment, printed.out);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  expect_copied();

  const auto without = riot({"run", "-"}, {}, printed.out);
  EXPECT_EQ(without.exit_code, 2) << without.describe();
  EXPECT_TRUE(contains(without.err,
                       "/pipelines/0/stages/source/config/password: environment variable "
                       "RIOT_SOURCE_PASS is not set"))
      << without.describe();
}

TEST_F(SecretsTest, ATypedPasswordIsPrintedWithAWarning) {
  const auto printed = riot({"replicate", plain_uri(*source_), plain_uri(*target_), "--source-pass",
                             kSourcePassword, "--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.describe();
  EXPECT_TRUE(contains(printed.out, kSourcePassword));
  EXPECT_TRUE(contains(printed.err, "holds a password given on the command line or in a URI"))
      << printed.describe();
}

TEST_F(SecretsTest, AMissingPasswordFileIsAUsageError) {
  const auto result = riot({"replicate", plain_uri(*source_), plain_uri(*target_),
                            "--source-pass-file", "/nonexistent/riot/source-pass"});
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_TRUE(contains(result.err, "--source-pass-file"));
  EXPECT_TRUE(contains(result.err, "'/nonexistent/riot/source-pass'")) << result.describe();
}

TEST_F(SecretsTest, ReferencesInAHandWrittenDocument) {
  fill_source();
  const json document = {
      {"version", 1},
      {"stages",
       {{"source",
         {{"component", "source.scan"},
          {"config", {{"uri", plain_uri(*source_)}, {"password", {{"$env", "SRC_SECRET"}}}}}}},
        {"reader",
         {{"component", "codec.dump"},
          {"config", {{"uri", plain_uri(*source_)}, {"password", {{"$env", "SRC_SECRET"}}}}}}},
        {"sink",
         {{"component", "sink.restore"},
          {"config",
           {{"uri", plain_uri(*target_)},
            {"password",
             {{"$file", write_secret_file(directory_, "sink", kTargetPassword)}}}}}}}}}};
  const auto path = directory_ / "pipeline.json";
  std::ofstream(path) << document.dump(2);
  const auto validated = riot({"validate", path.string()}, {});
  EXPECT_EQ(validated.exit_code, 2) << validated.describe();
  EXPECT_TRUE(contains(validated.err,
                       "/stages/source/config/password: environment variable "
                       "SRC_SECRET is not set"))
      << validated.describe();
  const auto run =
      riot({"run", path.string(), "--progress", "none"}, {{"SRC_SECRET", kSourcePassword}});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  expect_copied();
}

// A certificate, key or CA file that cannot be read is a usage error (exit
// 2), from the command line and from a document, before anything connects.
TEST(TlsFiles, AMissingCertificateFileIsAUsageErrorNamingTheOptionAndTheFile) {
  RedisServer source;
  const auto result = riot({"replicate", source.uri(), "rediss://127.0.0.1:1", "--target-cacert",
                            "/nonexistent/riot/ca.pem"});
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_TRUE(contains(result.err, "--target-cacert: cannot read '/nonexistent/riot/ca.pem'"))
      << result.describe();

  const json document = {
      {"version", 1},
      {"stages",
       {{"source", {{"component", "source.scan"}, {"config", {{"uri", source.uri()}}}}},
        {"reader", {{"component", "codec.dump"}, {"config", {{"uri", source.uri()}}}}},
        {"sink",
         {{"component", "sink.restore"},
          {"config",
           {{"uri", "rediss://127.0.0.1:1"},
            {"cert", "/nonexistent/riot/client.crt"},
            {"key", "/nonexistent/riot/client.key"}}}}}}}};
  const auto run = riot({"run", "-"}, {}, document.dump());
  EXPECT_EQ(run.exit_code, 2) << run.describe();
  EXPECT_TRUE(contains(run.err,
                       "/stages/sink/config: target connection setting 'cert': cannot "
                       "read '/nonexistent/riot/client.crt'"))
      << run.describe();
}

// How a secret reaches riot in the grep test below.
enum class Channel { uri, option, environment, file };
constexpr Channel kChannels[] = {Channel::uri, Channel::option, Channel::environment,
                                 Channel::file};

const char* name_of(Channel channel) {
  switch (channel) {
    case Channel::uri:
      return "uri";
    case Channel::option:
      return "option";
    case Channel::environment:
      return "environment";
    case Channel::file:
      return "file";
  }
  return "?";
}

// A riot command line under construction, with its environment.
struct Invocation {
  std::vector<std::string> args;
  Environment environment;
};

// Gives side `side` (source or target) of a server at `port` the password
// `password` through `channel`; returns the side's URI.
std::string give_password(Invocation& invocation, Channel channel, const std::string& side,
                          std::uint16_t port, const std::string& password,
                          const std::filesystem::path& directory) {
  const std::string address = "127.0.0.1:" + std::to_string(port);
  switch (channel) {
    case Channel::uri:
      return "redis://:" + password + "@" + address;
    case Channel::option:
      invocation.args.insert(invocation.args.end(), {"--" + side + "-pass", password});
      break;
    case Channel::environment:
      invocation.environment.emplace_back(
          side == "source" ? "RIOT_SOURCE_PASS" : "RIOT_TARGET_PASS", password);
      break;
    case Channel::file:
      invocation.args.insert(
          invocation.args.end(),
          {"--" + side + "-pass-file", write_secret_file(directory, side + "-pass", password)});
      break;
  }
  return "redis://" + address;
}

// Runs riot at debug level with a log file and checks that no output holds
// any of `secrets`.
void expect_no_secret_in_output(Invocation invocation, const std::vector<std::string>& secrets,
                                const std::filesystem::path& directory, const std::string& what) {
  const auto log = directory / "debug.log";
  std::filesystem::remove(log);
  invocation.args.insert(invocation.args.end(),
                         {"-d", "--progress", "log", "--retry", "1", "--retry-delay", "10",
                          "--log-file", log.string()});
  const auto result = riot(invocation.args, invocation.environment);
  EXPECT_NE(result.exit_code, 0) << what << ": the run was meant to fail: " << result.describe();
  std::ifstream file(log);
  const std::string logged((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(logged, "[debug]")) << what << ": the log file was written at -d";
  for (const std::string& secret : secrets) {
    EXPECT_FALSE(contains(result.out, secret)) << what << ": stdout holds " << secret;
    EXPECT_FALSE(contains(result.err, secret)) << what << ": stderr holds " << secret << "\n"
                                               << result.err;
    EXPECT_FALSE(contains(logged, secret)) << what << ": the log file holds " << secret;
  }
}

TEST_F(SecretsTest, NoSecretInAnyOutputOfFailedRunsAtDebugLevel) {
  fill_source();
  RedisServerOptions read_only_user;
  read_only_user.config = {"user reader on >reader-pw-4d0b ~* &* +@all -@write"};
  RedisServer refusing(std::move(read_only_user));
  const std::uint16_t nobody = free_port();
  for (const Channel channel : kChannels) {
    const std::string tag = name_of(channel);
    {  // a wrong password on the target
      Invocation run;
      const std::string wrong = "wrong-" + tag + "-pw-1e9d";
      const std::string source_uri =
          give_password(run, channel, "source", source_->port(), kSourcePassword, directory_);
      const std::string target_uri =
          give_password(run, channel, "target", target_->port(), wrong, directory_);
      run.args.insert(run.args.begin(), {"replicate", source_uri, target_uri});
      expect_no_secret_in_output(run, {kSourcePassword, kTargetPassword, wrong}, directory_,
                                 tag + ", wrong target password");
    }
    {  // an unreachable target
      Invocation run;
      const std::string lost = "lost-" + tag + "-pw-77aa";
      const std::string source_uri =
          give_password(run, channel, "source", source_->port(), kSourcePassword, directory_);
      const std::string target_uri =
          give_password(run, channel, "target", nobody, lost, directory_);
      run.args.insert(run.args.begin(), {"replicate", source_uri, target_uri});
      expect_no_secret_in_output(run, {kSourcePassword, lost}, directory_,
                                 tag + ", unreachable target");
    }
    {  // writes refused by the target (an ACL user without write commands)
      Invocation run;
      const std::string source_uri =
          give_password(run, channel, "source", source_->port(), kSourcePassword, directory_);
      std::string target_uri =
          give_password(run, channel, "target", refusing.port(), "reader-pw-4d0b", directory_);
      target_uri.insert(std::string("redis://").size(),
                        channel == Channel::uri ? "reader" : "reader@");
      run.args.insert(run.args.begin(), {"replicate", source_uri, target_uri});
      expect_no_secret_in_output(run, {kSourcePassword, "reader-pw-4d0b"}, directory_,
                                 tag + ", refused writes");
    }
    {  // a wrong password on the source, the target's right
      Invocation run;
      const std::string wrong = "bad-" + tag + "-pw-3c3c";
      const std::string source_uri =
          give_password(run, channel, "source", source_->port(), wrong, directory_);
      const std::string target_uri =
          give_password(run, channel, "target", target_->port(), kTargetPassword, directory_);
      run.args.insert(run.args.begin(), {"replicate", source_uri, target_uri, "--mode", "compare"});
      expect_no_secret_in_output(run, {kSourcePassword, kTargetPassword, wrong}, directory_,
                                 tag + ", wrong source password in a comparison");
    }
  }
}

// An encrypted TLS client key with a wrong password, given by option, file
// and environment: the run fails (exit 3) and says so without the password.
TEST(SecretTls, AWrongKeyPasswordIsNeverShown) {
  TlsCertificates pki;
  RedisServerOptions tls;
  tls.tls = pki.server_tls(/*auth_clients=*/true);
  RedisServer source;
  RedisServer target(std::move(tls));
  const auto directory = make_temp_directory("secret-tls");
  const std::string wrong = "wrong-key-pw-6b1f";
  const std::vector<std::string> common{"replicate",
                                        source.uri(),
                                        target.uri(),
                                        "--target-cacert",
                                        pki.ca_cert().string(),
                                        "--target-cert",
                                        pki.client_cert().string(),
                                        "--target-key",
                                        pki.encrypted_client_key().string()};
  std::vector<Invocation> runs(3, Invocation{common, {}});
  runs[0].args.insert(runs[0].args.end(), {"--target-key-pwd", wrong});
  runs[1].args.insert(runs[1].args.end(),
                      {"--target-key-pwd-file", write_secret_file(directory, "key-pwd", wrong)});
  runs[2].environment.emplace_back("RIOT_TARGET_KEY_PWD", wrong);
  for (Invocation& run : runs)
    expect_no_secret_in_output(run, {wrong, TlsCertificates::kClientKeyPassword}, directory,
                               "wrong key password, " + run.args.back());
  // And the right one from the environment works.
  const auto right = riot(common, {{"RIOT_TARGET_KEY_PWD", TlsCertificates::kClientKeyPassword}});
  EXPECT_EQ(right.exit_code, 0) << right.describe();
}

}  // namespace
}  // namespace riot::test
