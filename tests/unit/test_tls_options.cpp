// TLS settings without a server: how a component's configuration and the
// launcher's --source-*/--target-* TLS options become ConnectionOptions, and
// which combinations are refused with a message naming the setting.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "riot/redis/connection_options.hpp"
#include "support/test_files.hpp"
#include "unit/replicate_command_line.hpp"
#include "usage_error.hpp"

namespace riot {
namespace {

using nlohmann::json;
using redis::ConnectionOptions;
using redis::TlsVerify;

// The message of the std::invalid_argument that from_config throws ("" if none).
std::string config_error(const json& config) {
  try {
    ConnectionOptions::from_config(config, "target");
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TlsConfig, OffByDefaultWithFullVerification) {
  const auto options = ConnectionOptions::from_config(json{{"uri", "redis://h:6379"}}, "source");
  EXPECT_FALSE(options.uses_tls());
  EXPECT_FALSE(options.tls.enabled);
  EXPECT_EQ(options.tls.verify, TlsVerify::full);
  EXPECT_TRUE(options.tls.ca_file.empty());
  EXPECT_TRUE(options.tls.cert_file.empty());
  EXPECT_TRUE(options.tls.server_name.empty());
}

TEST(TlsConfig, RedissUriOrTlsKeyTurnsTlsOn) {
  EXPECT_TRUE(
      ConnectionOptions::from_config(json{{"uri", "rediss://h:6379"}}, "source").uses_tls());
  EXPECT_TRUE(
      ConnectionOptions::from_config(json{{"uri", "redis://h:6379"}, {"tls", true}}, "source")
          .uses_tls());
  // The schema fills in "tls": false; a rediss:// URI still means TLS.
  EXPECT_TRUE(
      ConnectionOptions::from_config(json{{"uri", "rediss://h:6379"}, {"tls", false}}, "source")
          .uses_tls());
}

// Files that exist (their content is read only when connecting): a file
// that cannot be read is refused by the configuration itself.
std::string existing_file(const std::string& name) {
  static const std::filesystem::path directory = test::make_temp_directory("tls-options");
  const auto path = directory / name;
  std::ofstream(path) << "not read before connecting\n";
  return path.string();
}

TEST(TlsConfig, EveryKeyIsRead) {
  const std::string ca = existing_file("ca.pem");
  const std::string cert = existing_file("client.pem");
  const std::string key = existing_file("client.key");
  const auto options = ConnectionOptions::from_config(json{{"uri", "rediss://10.0.0.5:12000"},
                                                           {"tls_verify", "ca"},
                                                           {"cacert", ca},
                                                           {"cert", cert},
                                                           {"key", key},
                                                           {"key_password", "pw"},
                                                           {"sni", "redis.example.com"}},
                                                      "target");
  EXPECT_EQ(options.tls.verify, TlsVerify::ca);
  EXPECT_EQ(options.tls.ca_file, ca);
  EXPECT_EQ(options.tls.cert_file, cert);
  EXPECT_EQ(options.tls.key_file, key);
  EXPECT_EQ(options.tls.key_password, "pw");
  EXPECT_EQ(options.tls.server_name, "redis.example.com");
}

TEST(TlsConfig, InsecureMeansNoVerificationWhateverTlsVerifySays) {
  for (const char* verify : {"full", "ca", "none"}) {
    const auto options = ConnectionOptions::from_config(
        json{{"uri", "rediss://h"}, {"insecure", true}, {"tls_verify", verify}}, "target");
    EXPECT_EQ(options.tls.verify, TlsVerify::none) << verify;
  }
  EXPECT_EQ(ConnectionOptions::from_config(
                json{{"uri", "rediss://h"}, {"insecure", false}, {"tls_verify", "none"}}, "target")
                .tls.verify,
            TlsVerify::none);
}

TEST(TlsConfig, ACertificateWithoutItsKeyNamesBothKeys) {
  for (const json& config : {json{{"uri", "rediss://h"}, {"cert", "/c/client.pem"}},
                             json{{"uri", "rediss://h"}, {"key", "/c/client.key"}}}) {
    const std::string message = config_error(config);
    EXPECT_TRUE(contains(message, "target connection setting")) << message;
    EXPECT_TRUE(contains(message, "'cert'")) << message;
    EXPECT_TRUE(contains(message, "'key'")) << message;
  }
}

TEST(TlsConfig, AFileThatCannotBeReadIsRefusedNamingTheKeyAndTheFile) {
  for (const char* key : {"cacert", "cert", "key"}) {
    json config{{"uri", "rediss://h"},
                {"cacert", existing_file("ca.pem")},
                {"cert", existing_file("c.pem")},
                {"key", existing_file("k.pem")}};
    config[key] = "/nonexistent/riot/file.pem";
    const std::string message = config_error(config);
    EXPECT_TRUE(contains(message, "target connection setting '" + std::string(key) +
                                      "': cannot read '/nonexistent/riot/file.pem': no such file"))
        << message;
  }
}

TEST(TlsConfig, KeyPasswordWithoutKeyIsRefused) {
  const std::string message = config_error(json{{"uri", "rediss://h"}, {"key_password", "pw"}});
  EXPECT_TRUE(contains(message, "'key_password'")) << message;
  EXPECT_FALSE(contains(message, "pw'")) << "the password is not shown: " << message;
}

TEST(TlsConfig, TlsSettingsWithoutTlsAreRefused) {
  for (const json& extra :
       {json{{"cacert", "/ca.pem"}}, json{{"insecure", true}}, json{{"tls_verify", "ca"}},
        json{{"sni", "name"}}, json{{"cert", "/c.pem"}, {"key", "/k.pem"}}}) {
    json config = extra;
    config["uri"] = "redis://h:6379";
    const std::string message = config_error(config);
    EXPECT_TRUE(contains(message, "'" + extra.begin().key() + "'")) << message;
    EXPECT_TRUE(contains(message, "needs TLS")) << message;
    EXPECT_TRUE(contains(message, "rediss://")) << message;
  }
  // The schema's defaults are not settings the user gave.
  EXPECT_EQ(config_error(json{{"uri", "redis://h"}, {"tls_verify", "full"}, {"insecure", false}}),
            "");
}

TEST(TlsConfig, BadValuesNameTheKey) {
  const std::string verify = config_error(json{{"uri", "rediss://h"}, {"tls_verify", "strict"}});
  EXPECT_TRUE(contains(verify, "'tls_verify'")) << verify;
  EXPECT_TRUE(contains(verify, "full, ca or none")) << verify;
  EXPECT_TRUE(contains(config_error(json{{"uri", "rediss://h"}, {"tls", "yes"}}), "'tls'"));
  EXPECT_TRUE(contains(config_error(json{{"uri", "rediss://h"}, {"cacert", 5}}), "'cacert'"));
  const std::string socket =
      config_error(json{{"uri", "redis-socket:///tmp/r.sock"}, {"tls", true}});
  EXPECT_TRUE(contains(socket, "'tls'")) << socket;
}

TEST(TlsConfig, VerifyModesHaveNames) {
  for (const TlsVerify verify : {TlsVerify::full, TlsVerify::ca, TlsVerify::none})
    EXPECT_EQ(redis::parse_tls_verify(redis::to_string(verify)), verify);
  EXPECT_EQ(redis::to_string(TlsVerify::ca), "ca");
  EXPECT_FALSE(redis::parse_tls_verify("FULL").has_value()) << "the schema's spelling only";
}

TEST(TlsConfig, SchemaDescribesEveryTlsKey) {
  const json properties = ConnectionOptions::connection_schema_properties();
  for (const char* key :
       {"tls", "tls_verify", "insecure", "cacert", "cert", "key", "key_password", "sni"}) {
    ASSERT_TRUE(properties.contains(key)) << key;
    EXPECT_FALSE(properties[key].value("description", "").empty()) << key;
  }
  EXPECT_EQ(properties["tls"]["type"], "boolean");
  EXPECT_EQ(properties["tls"]["default"], false);
  EXPECT_EQ(properties["insecure"]["default"], false);
  EXPECT_EQ(properties["tls_verify"]["default"], "full");
  EXPECT_EQ(properties["tls_verify"]["enum"], json::array({"full", "ca", "none"}));
  EXPECT_EQ(properties["key_password"]["type"], "string");
}

// --- The launcher's options ------------------------------------------------

const std::string kSource = "redis://source.example:6379";
const std::string kTarget = "rediss://target.example:12000";

// The snapshot alone, in the single-pipeline form (its verification takes
// the same connection options: test_replicate_options.cpp checks it).
json document_for(std::vector<std::string> options) {
  options.insert(options.begin(), {kSource, kTarget});
  options.push_back("--no-verify");
  return app::replicate_pipeline_document(app::replicate_options_for(options));
}

std::string absolute(const std::string& file) {
  return std::filesystem::absolute(file).string();
}

TEST(TlsLauncherOptions, NoTlsOptionsLeaveTheDocumentAlone) {
  const json document = document_for({});
  for (const char* stage : {"source", "reader", "sink"})
    for (const char* key :
         {"tls", "tls_verify", "insecure", "cacert", "cert", "key", "key_password"})
      EXPECT_FALSE(app::stage_config(document, stage).contains(key)) << stage << "." << key;
}

TEST(TlsLauncherOptions, EachSideReachesItsOwnComponents) {
  const json document = document_for({"--source-tls", "--source-cacert", "/pki/source-ca.pem",
                                      "--source-tls-verify", "CA", "--target-cacert",
                                      "/pki/target-ca.pem", "--target-cert", "/pki/client.pem",
                                      "--target-key", "/pki/client.key", "--target-key-pwd", "pw"});
  for (const char* stage : {"source", "reader"}) {
    const json& config = app::stage_config(document, stage);
    EXPECT_EQ(config["tls"], true) << stage;
    EXPECT_EQ(config["tls_verify"], "ca") << stage << ": lower-cased";
    EXPECT_EQ(config["cacert"], "/pki/source-ca.pem") << stage;
    EXPECT_FALSE(config.contains("cert")) << stage;
  }
  const json& sink = app::stage_config(document, "sink");
  EXPECT_FALSE(sink.contains("tls")) << "the rediss:// URI says it";
  EXPECT_FALSE(sink.contains("tls_verify"));
  EXPECT_EQ(sink["cacert"], "/pki/target-ca.pem");
  EXPECT_EQ(sink["cert"], "/pki/client.pem");
  EXPECT_EQ(sink["key"], "/pki/client.key");
  EXPECT_EQ(sink["key_password"], "pw");
}

TEST(TlsLauncherOptions, InsecureReachesItsSide) {
  const json document = document_for({"--target-insecure"});
  EXPECT_EQ(app::stage_config(document, "sink")["insecure"], true);
  EXPECT_FALSE(app::stage_config(document, "source").contains("insecure"));
  EXPECT_EQ(app::stage_config(document_for({"--target-insecure", "--target-tls-verify", "none"}),
                              "sink")["tls_verify"],
            "none");
}

TEST(TlsLauncherOptions, FilesBecomeAbsoluteSoThePrintedPipelineRunsAnywhere) {
  const json sink = app::stage_config(document_for({"--target-cacert", "ca.pem", "--target-cert",
                                                    "c.pem", "--target-key", "k.pem"}),
                                      "sink");
  EXPECT_EQ(sink["cacert"], absolute("ca.pem"));
  EXPECT_EQ(sink["cert"], absolute("c.pem"));
  EXPECT_EQ(sink["key"], absolute("k.pem"));
}

TEST(TlsLauncherOptions, AKeyPasswordCountsAsAPasswordInTheDocument) {
  EXPECT_FALSE(app::replicate_options_for({kSource, kTarget}).document_holds_passwords());
  EXPECT_TRUE(app::replicate_options_for({kSource, kTarget, "--target-cert", "c", "--target-key",
                                          "k", "--target-key-pwd", "pw"})
                  .document_holds_passwords());
}

TEST(TlsLauncherOptions, BadCombinationsNameTheOptions) {
  struct Case {
    std::vector<std::string> arguments;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases{
      {{kSource, kTarget, "--target-tls-verify", "strict"},
       {"--target-tls-verify", "'strict'", "full, ca or none"}},
      {{kSource, kTarget, "--target-insecure", "--target-tls-verify", "full"},
       {"--target-insecure", "--target-tls-verify full"}},
      {{kSource, kTarget, "--target-cert", "c.pem"}, {"--target-cert", "--target-key"}},
      {{kSource, kTarget, "--target-key", "k.pem"}, {"--target-cert", "--target-key"}},
      {{kSource, kTarget, "--target-key-pwd", "pw"}, {"--target-key-pwd", "--target-key"}},
      {{kSource, kTarget, "--source-cacert", "ca.pem"},
       {"--source-cacert needs TLS", "rediss:// SOURCE URI", "--source-tls"}},
      {{kSource, kTarget, "--source-insecure"}, {"--source-insecure needs TLS"}},
      {{kSource, kTarget, "--source-tls-verify", "ca"}, {"--source-tls-verify needs TLS"}},
      {{"redis-socket:///tmp/r.sock", kTarget, "--source-tls"}, {"--source-tls", "Unix socket"}},
      {{kSource, kTarget, "--target-cacert", ""}, {"--target-cacert", "expected a file"}},
  };
  for (const Case& bad : cases) {
    const std::string message = app::replicate_error_for(bad.arguments);
    EXPECT_FALSE(message.empty()) << bad.arguments.back();
    for (const std::string& part : bad.expected)
      EXPECT_TRUE(contains(message, part)) << part << " in: " << message;
  }
  EXPECT_EQ(app::replicate_error_for(
                {kSource, kTarget, "--target-insecure", "--target-tls-verify", "none"}),
            "");
  EXPECT_EQ(app::replicate_error_for(
                {kSource, "redis://t:6379", "--target-tls", "--target-cacert", "ca"}),
            "");
}

TEST(TlsLauncherOptions, EveryOptionShowsInTheHelp) {
  std::ostringstream help;
  app::print_command_help(app::replicate_command_syntax(), help);
  for (const char* side : {"source", "target"}) {
    const std::string prefix = std::string("--") + side + "-";
    for (const std::string& expected :
         {prefix + "tls ", prefix + "insecure", prefix + "tls-verify MODE (=full)",
          prefix + "cacert FILE", prefix + "cert FILE", prefix + "key FILE",
          prefix + "key-pwd PASSWORD"})
      EXPECT_TRUE(contains(help.str(), expected)) << expected;
  }
  EXPECT_TRUE(contains(help.str(), "(default: the system's CA"));
}

// The document with TLS settings satisfies the bundled plugins' schemas, and
// validation keeps every setting.
TEST(TlsLauncherOptions, DocumentIsValidForTheBundledPlugins) {
  const json document = document_for({"--source-tls", "--source-insecure", "--target-tls-verify",
                                      "ca", "--target-cacert", existing_file("ca.pem"),
                                      "--target-cert", existing_file("c.pem"), "--target-key",
                                      existing_file("k.pem"), "--target-key-pwd", "pw"});
  app::expect_valid_for_bundled_plugins(document);
}

}  // namespace
}  // namespace riot
