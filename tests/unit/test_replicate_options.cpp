// `riot replicate`'s options map one to one onto a pipeline document: each
// option lands in its field, RIOT's spellings work as aliases, defaults hold,
// and bad values are refused with a message naming the option.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_options.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/plugin_registry.hpp"
#include "usage_error.hpp"

namespace riot::app {
namespace {

using nlohmann::json;

const std::string kSource = "redis://source.example:6379/3";
const std::string kTarget = "rediss://target.example:12000";

std::vector<std::string> with_uris(std::vector<std::string> options) {
  options.insert(options.begin(), {kSource, kTarget});
  return options;
}

ReplicateOptions options_for(const std::vector<std::string>& arguments) {
  const CommandSyntax syntax = replicate_command_syntax();
  return read_replicate_options(parse_command(syntax, arguments).values);
}

json document_for(std::vector<std::string> options) {
  return replicate_pipeline_document(options_for(with_uris(std::move(options))));
}

// The message of the CommandLineError the arguments cause ("" if none).
std::string error_for(const std::vector<std::string>& arguments) {
  try {
    options_for(arguments);
  } catch (const CommandLineError& error) {
    return error.what();
  }
  return "";
}

std::string error_for_options(std::vector<std::string> options) {
  return error_for(with_uris(std::move(options)));
}

const json& stage(const json& document, const char* name) {
  return document["stages"][name];
}

TEST(ReplicateOptions, DefaultsMakeASnapshotDocument) {
  const json document = document_for({});
  EXPECT_EQ(document["version"], host::kPipelineVersion);

  const json& source = stage(document, "source");
  EXPECT_EQ(source["component"], "source.scan");
  EXPECT_EQ(source["config"]["uri"], kSource);
  EXPECT_EQ(source["config"]["match"], "*");
  EXPECT_EQ(source["config"]["count"], 1000);
  EXPECT_FALSE(source["config"].contains("type")) << "no --key-type: every type";
  EXPECT_FALSE(source.contains("threads")) << "the source stage runs once";

  const json& reader = stage(document, "reader");
  EXPECT_EQ(reader["component"], "codec.dump");
  EXPECT_EQ(reader["config"]["uri"], kSource) << "the reader reads the source";
  EXPECT_EQ(reader["threads"], 4);
  EXPECT_EQ(reader["batch_size"], 200);
  EXPECT_EQ(reader["queue_capacity"], 10000);

  const json& sink = stage(document, "sink");
  EXPECT_EQ(sink["component"], "sink.restore");
  EXPECT_EQ(sink["config"]["uri"], kTarget);
  EXPECT_EQ(sink["config"]["replace"], true);
  EXPECT_EQ(sink["threads"], 4);
  EXPECT_EQ(sink["batch_size"], 200);
  EXPECT_EQ(sink["queue_capacity"], 10000);

  for (const char* name : {"source", "reader", "sink"}) {
    const json& config = stage(document, name)["config"];
    EXPECT_EQ(config["connect_timeout_ms"], 5000) << name;
    EXPECT_EQ(config["command_timeout_ms"], 30000) << name;
    EXPECT_FALSE(config.contains("user")) << name;
    EXPECT_FALSE(config.contains("password")) << name;
    EXPECT_FALSE(config.contains("client_name")) << name;
  }
}

// A replicate run and a document that leaves the stage settings out behave
// alike.
TEST(ReplicateOptions, StageDefaultsAreThePipelineDocumentDefaults) {
  const json document = document_for({});
  for (const char* name : {"reader", "sink"}) {
    EXPECT_EQ(stage(document, name)["threads"], host::kDefaultStageThreads) << name;
    EXPECT_EQ(stage(document, name)["batch_size"], host::kDefaultBatchSize) << name;
    EXPECT_EQ(stage(document, name)["queue_capacity"], host::kDefaultQueueCapacity) << name;
  }
}

TEST(ReplicateOptions, ScanOptionsReachTheSource) {
  const json config =
      stage(document_for({"--key-pattern", "user:*", "--key-type", "hash", "--scan-count", "7"}),
            "source")["config"];
  EXPECT_EQ(config["match"], "user:*");
  EXPECT_EQ(config["type"], "hash");
  EXPECT_EQ(config["count"], 7);
}

TEST(ReplicateOptions, StageOptionsReachTheirStages) {
  const json document =
      document_for({"--read-threads", "2", "--read-batch", "50", "--read-queue", "500",
                    "--write-threads", "3", "--write-batch", "20", "--write-queue", "100"});
  EXPECT_EQ(stage(document, "reader")["threads"], 2);
  EXPECT_EQ(stage(document, "reader")["batch_size"], 50);
  EXPECT_EQ(stage(document, "reader")["queue_capacity"], 500);
  EXPECT_EQ(stage(document, "sink")["threads"], 3);
  EXPECT_EQ(stage(document, "sink")["batch_size"], 20);
  EXPECT_EQ(stage(document, "sink")["queue_capacity"], 100);
}

TEST(ReplicateOptions, RiotSpellingsAreAliases) {
  const json document =
      document_for({"--scan-match", "b:*", "--scan-type", "zset", "--source-pool", "3",
                    "--target-pool", "5", "--command-timeout", "1234", "--mode", "snapshot"});
  EXPECT_EQ(stage(document, "source")["config"]["match"], "b:*");
  EXPECT_EQ(stage(document, "source")["config"]["type"], "zset");
  EXPECT_EQ(stage(document, "reader")["threads"], 3);
  EXPECT_EQ(stage(document, "sink")["threads"], 5);
  EXPECT_EQ(stage(document, "sink")["config"]["command_timeout_ms"], 1234);

  EXPECT_EQ(stage(document_for({"--read-pool", "6"}), "reader")["threads"], 6);
  EXPECT_EQ(options_for(with_uris({"--mode", "snapshot"})).mode, "scan");
}

TEST(ReplicateOptions, ModeAndTypeAreCaseInsensitive) {
  EXPECT_EQ(options_for(with_uris({"--mode", "SCAN", "--type", "Dump"})).mode, "scan");
  EXPECT_EQ(options_for(with_uris({"--mode", "Snapshot"})).type, "dump");
}

TEST(ReplicateOptions, CredentialsAndClientNamesReachTheirSide) {
  const json document = document_for({"--source-user", "reader", "--source-pass", "s3cret",
                                      "--source-client-name", "riot-src", "--target-user", "writer",
                                      "--target-pass", "t0p", "--target-client-name", "riot-dst"});
  for (const char* name : {"source", "reader"}) {
    const json& config = stage(document, name)["config"];
    EXPECT_EQ(config["user"], "reader") << name;
    EXPECT_EQ(config["password"], "s3cret") << name;
    EXPECT_EQ(config["client_name"], "riot-src") << name;
  }
  const json& sink = stage(document, "sink")["config"];
  EXPECT_EQ(sink["user"], "writer");
  EXPECT_EQ(sink["password"], "t0p");
  EXPECT_EQ(sink["client_name"], "riot-dst");
}

TEST(ReplicateOptions, TimeoutsApplyToEveryConnection) {
  const json document = document_for({"--connect-timeout", "250", "--timeout", "900"});
  for (const char* name : {"source", "reader", "sink"}) {
    EXPECT_EQ(stage(document, name)["config"]["connect_timeout_ms"], 250) << name;
    EXPECT_EQ(stage(document, name)["config"]["command_timeout_ms"], 900) << name;
  }
}

TEST(ReplicateOptions, RetryPolicyAppliesToEveryConnection) {
  const json defaults = document_for({});
  const json custom = document_for({"--retry", "3", "--retry-delay", "250"});
  for (const char* name : {"source", "reader", "sink"}) {
    EXPECT_EQ(stage(defaults, name)["config"]["retries"], 10) << name;
    EXPECT_EQ(stage(defaults, name)["config"]["retry_delay_ms"], 100) << name;
    EXPECT_EQ(stage(custom, name)["config"]["retries"], 3) << name;
    EXPECT_EQ(stage(custom, name)["config"]["retry_delay_ms"], 250) << name;
  }
  EXPECT_EQ(
      stage(document_for({"--retry", "0", "--retry-delay", "0"}), "sink")["config"]["retries"], 0)
      << "no retry at all is a choice";
  EXPECT_EQ(stage(document_for({"--dry-run", "--retry", "3"}), "sink")["config"], json::object())
      << "the null sink connects to nothing";
}

TEST(ReplicateOptions, RetryOptionsOutOfRangeNameTheOption) {
  for (const auto& [option, value] : {std::pair{"--retry", "-1"}, std::pair{"--retry", "1000001"},
                                      std::pair{"--retry-delay", "-1"}}) {
    const std::string message = error_for_options({option, value});
    EXPECT_NE(message.find(option), std::string::npos) << option << ": " << message;
    EXPECT_NE(message.find(value), std::string::npos) << option << ": " << message;
  }
}

TEST(ReplicateOptions, RetryOptionsShowInTheHelpWithTheirDefaults) {
  std::ostringstream help;
  print_command_help(replicate_command_syntax(), help);
  for (const char* expected : {"--retry N (=10)", "--retry-delay MS (=100)", "fault-tolerance.md"})
    EXPECT_NE(help.str().find(expected), std::string::npos) << expected;
}

TEST(ReplicateOptions, NoReplaceTurnsReplaceOff) {
  EXPECT_EQ(stage(document_for({"--no-replace"}), "sink")["config"]["replace"], false);
}

TEST(ReplicateOptions, DryRunWritesToTheNullSink) {
  const json sink = stage(document_for({"--dry-run", "--write-threads", "2"}), "sink");
  EXPECT_EQ(sink["component"], "sink.null");
  EXPECT_EQ(sink["config"], json::object()) << "the target is not contacted";
  EXPECT_EQ(sink["threads"], 2);
}

TEST(ReplicateOptions, PrintPipelineIsAFlag) {
  EXPECT_FALSE(options_for(with_uris({})).print_pipeline);
  EXPECT_TRUE(options_for(with_uris({"--print-pipeline"})).print_pipeline);
}

TEST(ReplicateOptions, PasswordsInTheDocumentAreDetected) {
  EXPECT_FALSE(options_for(with_uris({})).document_holds_passwords());
  EXPECT_TRUE(options_for(with_uris({"--target-pass", "x"})).document_holds_passwords());
  EXPECT_TRUE(options_for({"redis://:pw@127.0.0.1:6379", kTarget}).document_holds_passwords());
  EXPECT_FALSE(
      options_for(with_uris({"--target-pass", "x", "--dry-run"})).document_holds_passwords())
      << "a dry run leaves the target out of the document";
}

TEST(ReplicateOptions, GlobalOptionsMayFollowTheCommand) {
  const CommandSyntax syntax = replicate_command_syntax();
  const ParsedCommand parsed =
      parse_command(syntax, with_uris({"--progress", "none", "-d", "--plugin-path", "/x"}));
  EXPECT_EQ(parsed.global.progress, host::ProgressMode::none);
  EXPECT_EQ(parsed.global.log_level, LogLevel::debug);
  ASSERT_EQ(parsed.global.plugin_paths.size(), 1u);
  EXPECT_EQ(parsed.global.plugin_paths[0], "/x");
}

TEST(ReplicateOptions, OutOfRangeNumbersNameTheOption) {
  struct Case {
    const char* option;
    const char* value;
  };
  for (const Case& bad :
       {Case{"--read-threads", "0"}, Case{"--write-threads", "257"}, Case{"--read-batch", "0"},
        Case{"--write-batch", "-1"}, Case{"--read-queue", "0"}, Case{"--write-queue", "0"},
        Case{"--scan-count", "0"}, Case{"--connect-timeout", "0"}, Case{"--timeout", "-5"}}) {
    const std::string message = error_for_options({bad.option, bad.value});
    EXPECT_NE(message.find(bad.option), std::string::npos) << bad.option << ": " << message;
    EXPECT_NE(message.find(bad.value), std::string::npos) << bad.option << ": " << message;
  }
}

TEST(ReplicateOptions, NonNumbersNameTheOption) {
  const std::string message = error_for_options({"--read-batch", "many"});
  EXPECT_NE(message.find("--read-batch"), std::string::npos) << message;
  EXPECT_NE(message.find("many"), std::string::npos) << message;
}

TEST(ReplicateOptions, ModesOfLaterVersionsAreNotAvailableYet) {
  for (const char* mode : {"live", "liveonly", "compare"}) {
    const std::string message = error_for_options({"--mode", mode});
    EXPECT_NE(message.find("--mode"), std::string::npos) << message;
    EXPECT_NE(message.find("not available yet in this version"), std::string::npos) << message;
  }
  for (const char* type : {"struct", "ds"}) {
    const std::string message = error_for_options({"--type", type});
    EXPECT_NE(message.find("--type"), std::string::npos) << message;
    EXPECT_NE(message.find("not available yet in this version"), std::string::npos) << message;
  }
}

TEST(ReplicateOptions, UnknownValuesListTheChoices) {
  const std::string message = error_for_options({"--mode", "mirror"});
  EXPECT_NE(message.find("'mirror'"), std::string::npos) << message;
  EXPECT_NE(message.find("scan"), std::string::npos) << message;
  EXPECT_NE(message.find("compare"), std::string::npos) << message;
  EXPECT_NE(error_for_options({"--progress", "fancy"}).find("--progress"), std::string::npos);
}

TEST(ReplicateOptions, UnknownOptionsAreNamed) {
  EXPECT_NE(error_for_options({"--no-such-option"}).find("--no-such-option"), std::string::npos);
  EXPECT_NE(error_for_options({"--dry"}).find("--dry"), std::string::npos)
      << "abbreviations are not guessed";
}

TEST(ReplicateOptions, MalformedUrisAreNamedWithThePasswordMasked) {
  const std::string message = error_for({"redis://user:secret@127.0.0.1:notaport", kTarget});
  EXPECT_NE(message.find("SOURCE"), std::string::npos) << message;
  EXPECT_NE(message.find("notaport"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;

  const std::string target = error_for({kSource, "http://127.0.0.1:1"});
  EXPECT_NE(target.find("TARGET"), std::string::npos) << target;
  EXPECT_NE(target.find("http://127.0.0.1:1"), std::string::npos) << target;
}

TEST(ReplicateOptions, BothUrisAreRequiredAndNoMore) {
  EXPECT_NE(error_for({}).find("SOURCE and TARGET"), std::string::npos);
  EXPECT_NE(error_for({kSource}).find("TARGET"), std::string::npos);
  EXPECT_NE(error_for({kSource, kTarget, "extra"}).find("too many arguments"), std::string::npos);
}

TEST(ReplicateOptions, EveryOptionShowsInTheHelpWithItsDefault) {
  std::ostringstream help;
  print_command_help(replicate_command_syntax(), help);
  for (const char* expected : {"--mode MODE (=scan)",
                               "--scan-count N (=1000)",
                               "--key-pattern GLOB (=*)",
                               "--read-threads N (=4)",
                               "--read-batch N (=200)",
                               "--read-queue N (=10000)",
                               "--write-threads N (=4)",
                               "--write-batch N (=200)",
                               "--write-queue N (=10000)",
                               "--connect-timeout MS (=5000)",
                               "--timeout MS (=30000)",
                               "--dry-run",
                               "--print-pipeline",
                               "--source-pass",
                               "--target-user",
                               "--progress MODE (=auto)",
                               "--read-from NODE (=master)",
                               "--key-slots RANGES",
                               "--source-cluster",
                               "--target-cluster",
                               "Exit codes"}) {
    EXPECT_NE(help.str().find(expected), std::string::npos) << expected;
  }
}

TEST(ReplicateOptions, ClusterSwitchesReachTheirSideOnly) {
  const json neither = document_for({});
  for (const char* name : {"source", "reader", "sink"})
    EXPECT_FALSE(stage(neither, name)["config"].contains("cluster")) << "absent: detect";

  const json source_only = document_for({"--source-cluster"});
  EXPECT_EQ(stage(source_only, "source")["config"]["cluster"], true);
  EXPECT_EQ(stage(source_only, "reader")["config"]["cluster"], true);
  EXPECT_FALSE(stage(source_only, "sink")["config"].contains("cluster"));

  const json target_only = document_for({"--target-cluster"});
  EXPECT_EQ(stage(target_only, "sink")["config"]["cluster"], true);
  EXPECT_FALSE(stage(target_only, "source")["config"].contains("cluster"));
}

TEST(ReplicateOptions, ReadFromReachesTheScanAndTheReader) {
  EXPECT_FALSE(stage(document_for({}), "reader")["config"].contains("read_from"));
  for (const auto& [given, canonical] :
       std::vector<std::pair<std::string, std::string>>{{"replica", "replica"},
                                                        {"REPLICA_PREFERRED", "replica-preferred"},
                                                        {"Any", "any"},
                                                        {"upstream", "master"}}) {
    const json document = document_for({"--read-from", given});
    EXPECT_EQ(options_for(with_uris({"--read-from", given})).read_from, canonical) << given;
    if (canonical == "master") continue;
    EXPECT_EQ(stage(document, "source")["config"]["read_from"], canonical) << given;
    EXPECT_EQ(stage(document, "reader")["config"]["read_from"], canonical) << given;
    EXPECT_FALSE(stage(document, "sink")["config"].contains("read_from"));
  }
  const std::string error = error_for_options({"--read-from", "nearest"});
  EXPECT_NE(error.find("--read-from"), std::string::npos) << error;
  EXPECT_NE(error.find("replica-preferred"), std::string::npos) << error;
}

TEST(ReplicateOptions, KeySlotsReachTheScanInCanonicalForm) {
  EXPECT_FALSE(stage(document_for({}), "source")["config"].contains("key_slots"));
  EXPECT_EQ(
      stage(document_for({"--key-slots", "10923-16383, 0:5460"}), "source")["config"]["key_slots"],
      "0:5460,10923:16383");
  const std::string error = error_for_options({"--key-slots", "0:20000"});
  EXPECT_NE(error.find("--key-slots"), std::string::npos) << error;
  EXPECT_NE(error.find("20000"), std::string::npos) << error;
}

// The document satisfies the schemas of the bundled plugins, and validating
// it keeps every setting: the launcher's field names match the plugins'.
TEST(ReplicateOptions, DocumentIsValidForTheBundledPlugins) {
  host::PluginRegistry registry;
  registry.load_directory(RIOT_PLUGIN_DIR);
  for (const auto& options : std::vector<std::vector<std::string>>{
           {},
           {"--key-type", "hash", "--source-user", "u", "--source-pass", "p",
            "--source-client-name", "n", "--no-replace", "--read-threads", "2"},
           {"--retry", "0", "--retry-delay", "0"},
           {"--source-cluster", "--target-cluster", "--read-from", "replica", "--key-slots",
            "0:100"},
           {"--dry-run"}}) {
    const json document = document_for(options);
    const host::PipelineValidation validation = host::validate_pipeline(document, registry);
    ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string() << "\n"
                                 << document.dump(2);
    const json validated = host::to_document(validation.pipeline);
    for (const char* name : {"source", "reader", "sink"}) {
      for (const auto& [key, value] : stage(document, name)["config"].items()) {
        EXPECT_EQ(stage(validated, name)["config"][key], value) << name << "." << key;
      }
    }
  }
}

}  // namespace
}  // namespace riot::app
