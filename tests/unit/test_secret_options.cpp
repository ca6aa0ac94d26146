// Where `riot replicate` finds each side's secrets, by the documented
// precedence (--X-pass > URI > --X-pass-file > $RIOT_X_PASS > $REDISCLI_AUTH;
// --X-key-pwd > --X-key-pwd-file > $RIOT_X_KEY_PWD; --X-sentinel-pass >
// --X-sentinel-pass-file > $RIOT_X_SENTINEL_PASS), and how each reaches the
// pipeline document: typed-in secrets as they are, the others as references.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "secret_options.hpp"
#include "sentinel_options.hpp"
#include "support/test_files.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

using nlohmann::json;
using Origin = SecretSetting::Origin;

host::EnvironmentLookup environment_of(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

po::variables_map parsed(const std::vector<std::string>& options) {
  std::vector<std::string> arguments{"redis://source:6379", "redis://target:6379"};
  arguments.insert(arguments.end(), options.begin(), options.end());
  return parse_command(replicate_command_syntax(), arguments).values;
}

std::string secret_file(const std::string& content) {
  const auto path = test::make_temp_directory("secret-options") / "pass";
  std::ofstream(path) << content;
  return path.string();
}

std::optional<SecretSetting> source_password(const std::vector<std::string>& options,
                                             std::map<std::string, std::string> environment,
                                             bool uri_holds_password = false) {
  return read_password(parsed(options), "source", uri_holds_password,
                       environment_of(std::move(environment)));
}

TEST(SecretOptions, PrecedenceOfThePasswordChannels) {
  const std::string file = secret_file("from-file\n");
  const std::map<std::string, std::string> every_variable{{"RIOT_SOURCE_PASS", "from-riot-env"},
                                                          {"REDISCLI_AUTH", "from-cli-env"}};
  auto typed =
      source_password({"--source-pass", "typed", "--source-pass-file", file}, every_variable, true);
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->origin, Origin::command_line);
  EXPECT_EQ(typed->text, "typed");

  EXPECT_FALSE(source_password({"--source-pass-file", file}, every_variable, true))
      << "the URI's password wins over a file: it reaches the document with the URI";

  auto from_file = source_password({"--source-pass-file", file}, every_variable);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->origin, Origin::file);
  EXPECT_EQ(from_file->text, file);

  auto riot_env = source_password({}, every_variable);
  ASSERT_TRUE(riot_env);
  EXPECT_EQ(riot_env->origin, Origin::environment);
  EXPECT_EQ(riot_env->text, "RIOT_SOURCE_PASS");

  auto cli_env = source_password({}, {{"REDISCLI_AUTH", "from-cli-env"}, {"RIOT_SOURCE_PASS", ""}});
  ASSERT_TRUE(cli_env) << "an empty variable counts as unset";
  EXPECT_EQ(cli_env->text, "REDISCLI_AUTH");

  EXPECT_FALSE(source_password({}, {}));
  EXPECT_FALSE(source_password({}, every_variable, true)) << "the environment is below the URI";
}

TEST(SecretOptions, EachSideReadsItsOwnVariable) {
  const auto target =
      read_password(parsed({}), "target", false,
                    environment_of({{"RIOT_SOURCE_PASS", "s"}, {"RIOT_TARGET_PASS", "t"}}));
  ASSERT_TRUE(target);
  EXPECT_EQ(target->text, "RIOT_TARGET_PASS");
  const auto fallback =
      read_password(parsed({}), "target", false,
                    environment_of({{"RIOT_SOURCE_PASS", "s"}, {"REDISCLI_AUTH", "c"}}));
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->text, "REDISCLI_AUTH") << "REDISCLI_AUTH stands in for a side with none";
}

TEST(SecretOptions, AMissingFileIsAUsageErrorNamingTheOptionAndTheFile) {
  try {
    (void)source_password({"--source-pass-file", "/nonexistent/riot-pass"}, {});
    FAIL() << "a missing password file was accepted";
  } catch (const CommandLineError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("--source-pass-file"), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/riot-pass"), std::string::npos) << message;
  }
}

TEST(SecretOptions, AFileOutrankedStillMustBeReadable) {
  EXPECT_THROW(source_password({"--source-pass", "x", "--source-pass-file", "/nonexistent/p"}, {}),
               CommandLineError);
}

TEST(SecretOptions, KeyPasswordPrecedenceAndItsKey) {
  const std::string file = secret_file("key-secret\n");
  const auto variables = environment_of({{"RIOT_TARGET_KEY_PWD", "env-key"}});
  const auto typed =
      read_key_password(parsed({"--target-key-pwd", "typed", "--target-key-pwd-file", file}),
                        "target", true, variables);
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->origin, Origin::command_line);
  const auto from_file =
      read_key_password(parsed({"--target-key-pwd-file", file}), "target", true, variables);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->origin, Origin::file);
  const auto from_env = read_key_password(parsed({}), "target", true, variables);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->text, "RIOT_TARGET_KEY_PWD");
  EXPECT_FALSE(read_key_password(parsed({}), "target", false, variables))
      << "without a key, the variable is not used";
  EXPECT_THROW(
      read_key_password(parsed({"--target-key-pwd-file", file}), "target", false, variables),
      CommandLineError);
}

TEST(SecretOptions, DocumentValues) {
  EXPECT_EQ((SecretSetting{Origin::command_line, "pw"}.document_value()), json("pw"));
  EXPECT_EQ((SecretSetting{Origin::file, "/run/secrets/src"}.document_value()),
            (json{{"$file", "/run/secrets/src"}}));
  EXPECT_EQ((SecretSetting{Origin::environment, "RIOT_SOURCE_PASS"}.document_value()),
            (json{{"$env", "RIOT_SOURCE_PASS"}}));
  EXPECT_TRUE((SecretSetting{Origin::command_line, "pw"}.typed_in()));
  EXPECT_FALSE((SecretSetting{Origin::file, "/f"}.typed_in()));
}

// The document built from the options holds the reference, not the secret,
// and only typed-in passwords make --print-pipeline warn.
TEST(SecretOptions, TheReplicateDocumentHoldsReferences) {
  const std::string file = secret_file("file-secret\n");
  const ReplicateOptions options =
      read_replicate_options(parsed({"--no-verify", "--target-pass-file", file}));
  const json document = replicate_pipeline_document(options);
  EXPECT_EQ(document["stages"]["sink"]["config"]["password"], (json{{"$file", file}}));
  EXPECT_EQ(document.dump().find("file-secret"), std::string::npos);
  EXPECT_FALSE(options.target.holds_password());
  const ReplicateOptions typed = read_replicate_options(parsed({"--target-pass", "typed"}));
  EXPECT_TRUE(typed.document_holds_passwords());
}

constexpr const char* kSentinelSource = "redis-sentinel://s1:26379,s2:26379?master=mymaster";

std::optional<SecretSetting> sentinel_password(const std::vector<std::string>& arguments,
                                               std::map<std::string, std::string> environment) {
  const po::variables_map values = parse_command(replicate_command_syntax(), arguments).values;
  return read_sentinel_side(values, "source", arguments.at(0), "SOURCE",
                            environment_of(std::move(environment)))
      .password;
}

TEST(SecretOptions, PrecedenceOfTheSentinelPasswordChannels) {
  const std::string file = secret_file("sentinel-from-file\n");
  const std::map<std::string, std::string> variable{{"RIOT_SOURCE_SENTINEL_PASS", "from-env"}};
  const std::vector<std::string> uris{kSentinelSource, "redis://target:6379"};
  auto with = [&](std::vector<std::string> options) {
    std::vector<std::string> arguments = uris;
    arguments.insert(arguments.end(), options.begin(), options.end());
    return arguments;
  };

  auto typed = sentinel_password(
      with({"--source-sentinel-pass", "typed", "--source-sentinel-pass-file", file}), variable);
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->origin, Origin::command_line);
  EXPECT_EQ(typed->text, "typed");

  auto from_file = sentinel_password(with({"--source-sentinel-pass-file", file}), variable);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->origin, Origin::file);
  EXPECT_EQ(from_file->text, file);

  auto from_environment = sentinel_password(with({}), variable);
  ASSERT_TRUE(from_environment);
  EXPECT_EQ(from_environment->origin, Origin::environment);
  EXPECT_EQ(from_environment->text, "RIOT_SOURCE_SENTINEL_PASS");

  // The data servers' variables are not the sentinels' password.
  EXPECT_FALSE(sentinel_password(with({}), {{"RIOT_SOURCE_PASS", "x"}, {"REDISCLI_AUTH", "y"}}));
  // A side without sentinels ignores the variable...
  EXPECT_FALSE(sentinel_password({"redis://source:6379", "redis://target:6379"}, variable));
  // ...and refuses the file option, naming it.
  try {
    sentinel_password(
        {"redis://source:6379", "redis://target:6379", "--source-sentinel-pass-file", file}, {});
    ADD_FAILURE() << "a sentinel password file without sentinels was accepted";
  } catch (const CommandLineError& error) {
    EXPECT_NE(std::string(error.what()).find("--source-sentinel-pass-file needs sentinels"),
              std::string::npos)
        << error.what();
  }
  // A missing file is a usage error naming the option and the file.
  try {
    sentinel_password(with({"--source-sentinel-pass-file", "/nonexistent/sentinel-pass"}), {});
    ADD_FAILURE() << "a missing sentinel password file was accepted";
  } catch (const CommandLineError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("--source-sentinel-pass-file"), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/sentinel-pass"), std::string::npos) << message;
  }
}

// A sentinel password from a file reaches every stage of its side as a
// reference; only a typed-in one makes --print-pipeline warn.
TEST(SecretOptions, TheSentinelPasswordReachesTheDocumentAsAReference) {
  const std::string file = secret_file("sentinel-secret\n");
  const ReplicateOptions options =
      read_replicate_options(parse_command(replicate_command_syntax(),
                                           {kSentinelSource, "redis://target:6379", "--no-verify",
                                            "--source-sentinel-pass-file", file})
                                 .values);
  const json document = replicate_pipeline_document(options);
  for (const char* stage : {"source", "reader"})
    EXPECT_EQ(document["stages"][stage]["config"]["sentinel_password"], (json{{"$file", file}}))
        << stage;
  EXPECT_EQ(document.dump().find("sentinel-secret"), std::string::npos);
  EXPECT_FALSE(options.document_holds_passwords());
}

}  // namespace
}  // namespace riot::app
