// `riot replicate`'s options map one to one onto a pipeline document: each
// option lands in its field, RIOT's spellings work as aliases, defaults hold,
// and bad values are refused with a message naming the option.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "help_text.hpp"
#include "option_values.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/plugin_registry.hpp"
#include "unit/replicate_command_line.hpp"
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

json document_for(std::vector<std::string> options) {
  return replicate_pipeline_document(replicate_options_for(with_uris(std::move(options))));
}

std::string error_for_options(std::vector<std::string> options) {
  return replicate_error_for(with_uris(std::move(options)));
}

// The copy alone, in the single-pipeline form: what the tests of the copy's
// stages validate (the comparing pipeline has tests of its own).
std::vector<std::string> with_no_verify(std::vector<std::string> options) {
  options.push_back("--no-verify");
  return options;
}

// The copy's pipeline: the document itself in the single form, the first of
// its pipelines when a verification follows.
const json& copy_pipeline(const json& document) {
  return document.contains("pipelines") ? document["pipelines"][0] : document;
}

const json& stage(const json& document, const char* name) {
  return copy_pipeline(document)["stages"][name];
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
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "snapshot"})).mode, "scan");
}

TEST(ReplicateOptions, ModeAndTypeAreCaseInsensitive) {
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "SCAN", "--type", "Dump"})).mode, "scan");
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "Snapshot"})).types.type, "dump");
  EXPECT_EQ(replicate_options_for(with_uris({"--type", "DS"})).types.type, "struct");
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
  const json document = document_for({"--connect-timeout", "250", "--command-timeout", "900"});
  for (const char* name : {"source", "reader", "sink"}) {
    EXPECT_EQ(stage(document, name)["config"]["connect_timeout_ms"], 250) << name;
    EXPECT_EQ(stage(document, name)["config"]["command_timeout_ms"], 900) << name;
  }
}

TEST(ReplicateOptions, TimeoutIsInSecondsAsRiotHadIt) {
  EXPECT_EQ(stage(document_for({"--timeout", "5"}), "sink")["config"]["command_timeout_ms"], 5000);
  EXPECT_EQ(stage(document_for({"--timeout", "250ms"}), "sink")["config"]["command_timeout_ms"],
            250);
  EXPECT_EQ(stage(document_for({"--timeout", "2m"}), "reader")["config"]["command_timeout_ms"],
            120000);
  for (const char* bad : {"abc", "5x", "-1", "0", "1.5", "100000"}) {
    const std::string message = error_for_options({"--timeout", bad});
    EXPECT_NE(message.find("--timeout"), std::string::npos) << bad << ": " << message;
    EXPECT_NE(message.find(bad), std::string::npos) << bad << ": " << message;
  }
  const std::string both = error_for_options({"--timeout", "5", "--command-timeout", "5000"});
  EXPECT_NE(both.find("--timeout and --command-timeout"), std::string::npos) << both;
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
  const std::string help = help_text(replicate_command_syntax());
  for (const char* expected : {"--retry N (=10)", "--retry-delay MS (=100)", "fault-tolerance.md"})
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
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
  EXPECT_FALSE(replicate_options_for(with_uris({})).print_pipeline);
  EXPECT_TRUE(replicate_options_for(with_uris({"--print-pipeline"})).print_pipeline);
}

TEST(ReplicateOptions, PasswordsInTheDocumentAreDetected) {
  EXPECT_FALSE(replicate_options_for(with_uris({})).document_holds_passwords());
  EXPECT_TRUE(replicate_options_for(with_uris({"--target-pass", "x"})).document_holds_passwords());
  EXPECT_TRUE(
      replicate_options_for({"redis://:pw@127.0.0.1:6379", kTarget}).document_holds_passwords());
  EXPECT_FALSE(replicate_options_for(with_uris({"--target-pass", "x", "--dry-run"}))
                   .document_holds_passwords())
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
        Case{"--scan-count", "0"}, Case{"--connect-timeout", "0"},
        Case{"--command-timeout", "-5"}}) {
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

TEST(ReplicateOptions, CompareModeIsAvailableInAnyCase) {
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "compare"})).mode, "compare");
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "Compare"})).mode, "compare");
  EXPECT_TRUE(replicate_options_for(with_uris({"--mode", "COMPARE"})).only_compares());
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
  const std::string message =
      replicate_error_for({"redis://user:secret@127.0.0.1:notaport", kTarget});
  EXPECT_NE(message.find("SOURCE"), std::string::npos) << message;
  EXPECT_NE(message.find("notaport"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;

  const std::string target = replicate_error_for({kSource, "http://127.0.0.1:1"});
  EXPECT_NE(target.find("TARGET"), std::string::npos) << target;
  EXPECT_NE(target.find("http://127.0.0.1:1"), std::string::npos) << target;
}

TEST(ReplicateOptions, BothUrisAreRequiredAndNoMore) {
  EXPECT_NE(replicate_error_for({}).find("SOURCE and TARGET"), std::string::npos);
  EXPECT_NE(replicate_error_for({kSource}).find("TARGET"), std::string::npos);
  EXPECT_NE(replicate_error_for({kSource, kTarget, "extra"}).find("too many arguments"),
            std::string::npos);
}

TEST(ReplicateOptions, EveryOptionShowsInTheHelpWithItsDefault) {
  const std::string help = help_text(replicate_command_syntax());
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
                               "--command-timeout MS (=30000)",
                               "--timeout SECONDS",
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
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
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
    EXPECT_EQ(replicate_options_for(with_uris({"--read-from", given})).read_from, canonical)
        << given;
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
           {"--dry-run"},
           {"--mem-limit", "10", "--mem-samples", "0", "--mem-limit-policy", "struct"},
           {"--no-string-fast-path"},
           {"--type", "struct"},
           {"--type", "struct", "--merge", "merge", "--stream-id", "drop", "--mem-limit", "3"},
           {"--type", "ds", "--dry-run"}}) {
    const json document = document_for(with_no_verify(options));
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

// --- Live modes ---------------------------------------------------------

json live_document_for(std::vector<std::string> options) {
  options.insert(options.begin(), {"--mode", "live"});
  return document_for(std::move(options));
}

const json& sources_of(const json& document) {
  return copy_pipeline(document).at("stages").at("sources");
}
const json& reconcile_of(const json& document) {
  return copy_pipeline(document).at("stages").at("reconcile");
}

TEST(ReplicateOptions, LiveModesAreAvailableInAnyCase) {
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "live"})).mode, "live");
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "LIVE"})).mode, "live");
  EXPECT_EQ(replicate_options_for(with_uris({"--mode", "LiveOnly"})).mode, "liveonly");
  EXPECT_TRUE(replicate_options_for(with_uris({"--mode", "liveonly"})).follows_changes());
  EXPECT_FALSE(replicate_options_for(with_uris({"--mode", "snapshot"})).follows_changes());
}

// Subscribed first, so that no change falls between the scan and the
// notifications; the scan is the snapshot's.
TEST(ReplicateOptions, LiveDocumentSubscribesThenScans) {
  const json document = live_document_for({});
  EXPECT_FALSE(copy_pipeline(document)["stages"].contains("source"))
      << "a live document lists its sources";
  const json& sources = sources_of(document);
  ASSERT_EQ(sources.size(), 2u) << sources.dump(2);
  EXPECT_EQ(sources[0]["component"], "source.keyspace");
  EXPECT_EQ(sources[0]["config"]["uri"], kSource);
  EXPECT_EQ(sources[0]["config"]["match"], "*");
  EXPECT_EQ(sources[1], stage(document_for({}), "source")) << "the snapshot's scan";
}

TEST(ReplicateOptions, LiveOnlyDocumentOnlySubscribes) {
  const json document = document_for({"--mode", "liveonly"});
  const json& sources = sources_of(document);
  ASSERT_EQ(sources.size(), 1u) << sources.dump(2);
  EXPECT_EQ(sources[0]["component"], "source.keyspace");
  EXPECT_EQ(reconcile_of(document), reconcile_of(live_document_for({})))
      << "a lost subscription is reconciled in either mode";
}

// A key only the target holds is read from the source, found missing and
// deleted: the pass covers both sides, with the same filters.
TEST(ReplicateOptions, ReconciliationScansBothSidesWithTheSameFilters) {
  const json document =
      live_document_for({"--key-pattern", "user:*", "--key-type", "hash", "--key-slots", "0:100",
                         "--scan-count", "50", "--target-pass", "t0p"});
  const json& reconcile = reconcile_of(document);
  ASSERT_EQ(reconcile.size(), 2u) << reconcile.dump(2);
  EXPECT_EQ(reconcile[0], sources_of(document)[1]) << "the source pass is the initial scan";
  EXPECT_EQ(reconcile[1]["component"], "source.scan");
  const json& target = reconcile[1]["config"];
  EXPECT_EQ(target["uri"], kTarget);
  EXPECT_EQ(target["password"], "t0p") << "the target's own credentials";
  for (const char* filter : {"match", "type", "key_slots", "count"})
    EXPECT_EQ(target[filter], reconcile[0]["config"][filter]) << filter;
  EXPECT_EQ(target["match"], "user:*");
  EXPECT_EQ(target["type"], "hash");
  EXPECT_EQ(target["key_slots"], "0:100");
  EXPECT_EQ(target["count"], 50);
  EXPECT_EQ(target["side"], "target") << "its messages name the target";
  EXPECT_FALSE(reconcile[0]["config"].contains("side")) << "the source side is the default";
}

TEST(ReplicateOptions, NotificationsTakeThePatternAndTheSlots) {
  const json config =
      sources_of(live_document_for({"--key-pattern", "user:*", "--key-slots", "10923-16383"}))[0]
          .at("config");
  EXPECT_EQ(config["match"], "user:*");
  EXPECT_EQ(config["key_slots"], "10923:16383");
  EXPECT_FALSE(config.contains("count")) << "a scan setting";
}

// A notification does not tell the key's type: the reader checks it, and
// erases a key of another type (it may have been a hash before it changed).
TEST(ReplicateOptions, LiveReaderChecksTheTypeOfNotifiedKeys) {
  for (const char* mode : {"live", "liveonly"}) {
    const json document = document_for({"--mode", mode, "--key-type", "hash"});
    EXPECT_EQ(stage(document, "reader")["config"]["type"], "hash") << mode;
    EXPECT_FALSE(sources_of(document)[0]["config"].contains("type")) << mode;
  }
  EXPECT_FALSE(stage(live_document_for({}), "reader")["config"].contains("type"))
      << "every type: no TYPE per key";
  EXPECT_FALSE(stage(document_for({"--key-type", "hash"}), "reader")["config"].contains("type"))
      << "a snapshot's scan filters the type already";
}

TEST(ReplicateOptions, LiveReaderTurnsVanishedKeysIntoDeletes) {
  const json reader = stage(live_document_for({"--read-threads", "2"}), "reader");
  EXPECT_EQ(reader["component"], "codec.dump");
  EXPECT_EQ(reader["config"]["uri"], kSource);
  EXPECT_EQ(reader["config"]["erase_missing"], true);
  EXPECT_EQ(reader["threads"], 2);
  EXPECT_FALSE(stage(document_for({}), "reader")["config"].contains("erase_missing"))
      << "a snapshot skips a vanished key: nothing of it was written";
  EXPECT_EQ(stage(live_document_for({}), "sink"), stage(document_for({}), "sink"));
}

TEST(ReplicateOptions, LiveRuntimeDefaults) {
  const json document = live_document_for({});
  const json& runtime = document.at("runtime");
  EXPECT_EQ(runtime["ordered"], true) << "one key's changes in order, waiting ones coalesced";
  EXPECT_EQ(runtime["event_queue"], ReplicateOptions{}.live.event_queue);
  EXPECT_EQ(runtime["event_queue"], 10000);
  EXPECT_EQ(runtime["event_order"], "fifo");
  EXPECT_EQ(runtime["idle_timeout_ms"], 0) << "none: follow until interrupted";
  EXPECT_FALSE(runtime.contains("flush_interval_ms")) << "the keyspace source's setting";
  EXPECT_EQ(sources_of(document)[0]["config"]["flush_interval_ms"], 5);
  EXPECT_FALSE(document_for({}).contains("runtime")) << "a snapshot follows nothing";
}

TEST(ReplicateOptions, LiveOptionsReachTheRuntime) {
  for (const char* mode : {"live", "liveonly"}) {
    const json document =
        document_for({"--mode", mode, "--idle-timeout", "60000", "--flush-interval", "20",
                      "--event-queue", "500", "--event-order", "PRIORITY"});
    const json& runtime = copy_pipeline(document).at("runtime");
    EXPECT_EQ(runtime["idle_timeout_ms"], 60000) << mode;
    EXPECT_EQ(runtime["event_queue"], 500) << mode;
    EXPECT_EQ(runtime["event_order"], "priority") << mode;
    EXPECT_EQ(sources_of(document)[0]["config"]["flush_interval_ms"], 20)
        << mode << ": the keyspace source holds events that long at most";
  }
}

TEST(ReplicateOptions, RiotSpellingsOfTheLiveOptionsAreAliases) {
  const json document = live_document_for({"--idle", "3000", "--flush", "7"});
  const json& runtime = copy_pipeline(document).at("runtime");
  EXPECT_EQ(runtime["idle_timeout_ms"], 3000);
  EXPECT_EQ(sources_of(document)[0]["config"]["flush_interval_ms"], 7);
  EXPECT_EQ(live_document_for({"--idle-timeout", "0"}).at("runtime")["idle_timeout_ms"], 0)
      << "0 is none, as in the document";
}

TEST(ReplicateOptions, EveryConnectionOfTheLiveDocumentTakesItsSidesOptions) {
  const json document =
      live_document_for({"--source-user", "reader", "--source-pass", "s3cret", "--source-cluster",
                         "--target-client-name", "riot-dst", "--target-tls-verify", "ca",
                         "--command-timeout", "900", "--retry", "3"});
  std::vector<const json*> source_side{
      &sources_of(document)[0]["config"], &sources_of(document)[1]["config"],
      &reconcile_of(document)[0]["config"], &stage(document, "reader")["config"]};
  std::vector<const json*> target_side{&reconcile_of(document)[1]["config"],
                                       &stage(document, "sink")["config"]};
  for (const json* config : source_side) {
    EXPECT_EQ((*config)["uri"], kSource) << config->dump();
    EXPECT_EQ((*config)["user"], "reader") << config->dump();
    EXPECT_EQ((*config)["password"], "s3cret") << config->dump();
    EXPECT_EQ((*config)["cluster"], true) << config->dump();
    EXPECT_FALSE(config->contains("tls_verify")) << config->dump();
  }
  for (const json* config : target_side) {
    EXPECT_EQ((*config)["uri"], kTarget) << config->dump();
    EXPECT_EQ((*config)["client_name"], "riot-dst") << config->dump();
    EXPECT_EQ((*config)["tls_verify"], "ca") << config->dump();
    EXPECT_FALSE(config->contains("user")) << config->dump();
    EXPECT_FALSE(config->contains("cluster")) << config->dump();
  }
  for (const json* config : source_side) {
    EXPECT_EQ((*config)["command_timeout_ms"], 900) << config->dump();
    EXPECT_EQ((*config)["retries"], 3) << config->dump();
  }
  for (const json* config : target_side) {
    EXPECT_EQ((*config)["command_timeout_ms"], 900) << config->dump();
    EXPECT_EQ((*config)["retries"], 3) << config->dump();
  }
}

// The target is not contacted: the reconciliation passes over the source
// alone, and the target's password stays out of the document.
TEST(ReplicateOptions, LiveDryRunLeavesTheTargetOut) {
  const json document = live_document_for({"--dry-run", "--target-pass", "t0p"});
  EXPECT_EQ(stage(document, "sink")["component"], "sink.null");
  ASSERT_EQ(reconcile_of(document).size(), 1u);
  EXPECT_EQ(reconcile_of(document)[0]["config"]["uri"], kSource);
  EXPECT_EQ(document.dump().find("t0p"), std::string::npos);
  EXPECT_FALSE(
      replicate_options_for(with_uris({"--mode", "live", "--dry-run", "--target-pass", "t0p"}))
          .document_holds_passwords());
}

TEST(ReplicateOptions, LiveOptionsWithoutALiveModeAreRefusedNamingBoth) {
  for (const auto& [option, value] :
       {std::pair{"--idle-timeout", "1000"}, std::pair{"--idle", "1000"},
        std::pair{"--flush-interval", "10"}, std::pair{"--flush", "10"},
        std::pair{"--event-queue", "10"}, std::pair{"--event-order", "priority"}}) {
    for (const std::vector<std::string>& mode :
         {std::vector<std::string>{}, {"--mode", "scan"}, {"--mode", "Snapshot"}}) {
      std::vector<std::string> options = mode;
      options.insert(options.end(), {option, value});
      const std::string message = error_for_options(options);
      const std::string main_name = std::string(option) == "--idle"    ? "--idle-timeout"
                                    : std::string(option) == "--flush" ? "--flush-interval"
                                                                       : option;
      EXPECT_NE(message.find(main_name), std::string::npos) << option << ": " << message;
      EXPECT_NE(message.find(mode.empty() ? "--mode scan" : "--mode " + lowercase(mode[1])),
                std::string::npos)
          << option << ": " << message;
    }
  }
  EXPECT_EQ(error_for_options({"--mode", "scan", "--flush-interval", "5"}).empty(), false)
      << "given with its default value is given all the same";
}

TEST(ReplicateOptions, OptionsALiveModeCannotHonourAreRefusedNamingBoth) {
  for (const char* mode : {"live", "liveonly"}) {
    const std::string no_replace = error_for_options({"--mode", mode, "--no-replace"});
    EXPECT_NE(no_replace.find("--no-replace"), std::string::npos) << no_replace;
    EXPECT_NE(no_replace.find(std::string("--mode ") + mode), std::string::npos) << no_replace;

    for (const char* node : {"replica", "replica-preferred", "any"}) {
      const std::string read_from = error_for_options({"--mode", mode, "--read-from", node});
      EXPECT_NE(read_from.find(std::string("--read-from ") + node), std::string::npos) << read_from;
      EXPECT_NE(read_from.find(std::string("--mode ") + mode), std::string::npos) << read_from;
    }
    EXPECT_EQ(error_for_options({"--mode", mode, "--read-from", "upstream"}), "")
        << "the master, by another name";
  }
}

// Every component configuration of a document, by its pointer, whichever
// form the sources take ("source" or "sources").
std::vector<std::pair<std::string, json>> component_configs(const json& document) {
  std::vector<std::pair<std::string, json>> configs;
  for (const auto& [name, stage_or_list] : document.at("stages").items()) {
    if (!stage_or_list.is_array()) {
      configs.emplace_back("/stages/" + name, stage_or_list.at("config"));
      continue;
    }
    for (std::size_t i = 0; i < stage_or_list.size(); ++i)
      configs.emplace_back("/stages/" + name + "/" + std::to_string(i),
                           stage_or_list[i].at("config"));
  }
  return configs;
}

// The live documents satisfy the runtime and the schemas of the bundled
// plugins, and validating them keeps every setting.
TEST(ReplicateOptions, LiveDocumentIsValidForTheBundledPlugins) {
  host::PluginRegistry registry;
  registry.load_directory(RIOT_PLUGIN_DIR);
  for (const auto& options : std::vector<std::vector<std::string>>{
           {"--mode", "live"},
           {"--mode", "live", "--key-type", "hash", "--key-pattern", "u:*", "--key-slots", "0:100",
            "--source-user", "u", "--source-pass", "p", "--target-client-name", "n"},
           {"--mode", "live", "--source-cluster", "--target-cluster", "--idle-timeout", "604800000",
            "--event-queue", "100000000", "--event-order", "priority"},
           {"--mode", "live", "--dry-run", "--flush-interval", "60000"},
           {"--mode", "liveonly", "--flush", "0"},
           {"--mode", "live", "--type", "struct", "--key-type", "zset", "--mem-limit", "1"},
           {"--mode", "liveonly", "--type", "struct", "--merge-policy", "merge"},
           {"--mode", "live", "--mem-limit", "64", "--mem-limit-policy", "struct"}}) {
    const json document = document_for(with_no_verify(options));
    const host::PipelineValidation validation = host::validate_pipeline(document, registry);
    ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string() << "\n"
                                 << document.dump(2);
    const json validated = host::to_document(validation.pipeline);
    EXPECT_EQ(validated.at("runtime"), document.at("runtime"));
    const auto given = component_configs(document);
    const auto kept = component_configs(validated);
    ASSERT_EQ(kept.size(), given.size()) << validated.dump(2);
    for (std::size_t i = 0; i < given.size(); ++i) {
      for (const auto& [key, value] : given[i].second.items())
        EXPECT_EQ(kept[i].second[key], value) << given[i].first << "/config/" << key;
    }
  }
}

TEST(ReplicateOptions, LiveOptionValuesAreCheckedNamingTheOption) {
  struct Case {
    const char* option;
    const char* value;
  };
  for (const Case& bad : {Case{"--idle-timeout", "-1"}, Case{"--idle-timeout", "604800001"},
                          Case{"--flush-interval", "-1"}, Case{"--flush-interval", "60001"},
                          Case{"--event-queue", "0"}, Case{"--event-queue", "100000001"},
                          Case{"--event-order", "lifo"}, Case{"--idle-timeout", "soon"}}) {
    const std::string message = error_for_options({"--mode", "live", bad.option, bad.value});
    EXPECT_NE(message.find(bad.option), std::string::npos) << bad.option << ": " << message;
    EXPECT_NE(message.find(bad.value), std::string::npos) << bad.option << ": " << message;
  }
  const std::string order = error_for_options({"--mode", "live", "--event-order", "lifo"});
  EXPECT_NE(order.find("fifo, priority"), std::string::npos) << order;
}

}  // namespace
}  // namespace riot::app

// --- Types: --type struct and the options of each type -------------------

namespace riot::app {
namespace {

json document_in_mode(const std::string& mode, std::vector<std::string> options) {
  options.insert(options.begin(), {"--mode", mode});
  return document_for(std::move(options));
}

TEST(ReplicateTypes, StructCopiesByTypeInEveryMode) {
  for (const char* mode : {"scan", "live", "liveonly"}) {
    for (const char* type : {"struct", "ds", "Struct"}) {
      const json document = document_in_mode(mode, {"--type", type});
      const json& reader = stage(document, "reader");
      EXPECT_EQ(reader["component"], "codec.struct") << mode << " " << type;
      EXPECT_EQ(reader["config"]["uri"], kSource);
      EXPECT_EQ(reader["threads"], host::kDefaultStageThreads);
      const json& sink = stage(document, "sink");
      EXPECT_EQ(sink["component"], "sink.struct") << mode << " " << type;
      EXPECT_EQ(sink["config"]["uri"], kTarget);
      EXPECT_EQ(sink["config"]["merge"], "overwrite");
      EXPECT_EQ(sink["config"]["stream_ids"], "propagate");
      EXPECT_EQ(sink["config"]["replace"], true);
      EXPECT_FALSE(reader["config"].contains("chunk_above_bytes"))
          << "no --mem-limit: codec.struct's own threshold";
    }
  }
}

// A live struct document follows changes as the dump one does: deletes
// propagate, a notified key's type is checked, and both sides are reconciled.
TEST(ReplicateTypes, LiveStructDocumentErasesAndReconcilesAsTheDumpOneDoes) {
  for (const char* mode : {"live", "liveonly"}) {
    const json by_dump = document_in_mode(mode, {"--key-type", "hash"});
    const json by_type = document_in_mode(mode, {"--type", "struct", "--key-type", "hash"});
    const json& reader = stage(by_type, "reader")["config"];
    EXPECT_EQ(reader["erase_missing"], true) << mode;
    EXPECT_EQ(reader["type"], "hash") << mode;
    EXPECT_EQ(reconcile_of(by_type), reconcile_of(by_dump)) << mode;
    EXPECT_EQ(sources_of(by_type), sources_of(by_dump)) << mode;
    EXPECT_EQ(copy_pipeline(by_type)["runtime"], copy_pipeline(by_dump)["runtime"]) << mode;
  }
}

TEST(ReplicateTypes, MergePolicyAndStreamIdsReachTheStructSink) {
  const json sink =
      stage(document_for({"--type", "struct", "--merge", "MERGE", "--stream-id", "drop"}),
            "sink")["config"];
  EXPECT_EQ(sink["merge"], "merge");
  EXPECT_EQ(sink["stream_ids"], "drop");
  EXPECT_EQ(stage(document_for({"--type", "struct", "--merge-policy", "overwrite"}),
                  "sink")["config"]["merge"],
            "overwrite");
}

TEST(ReplicateTypes, DryRunWritesNothingWhateverTheType) {
  const json document = document_for({"--type", "struct", "--dry-run"});
  EXPECT_EQ(stage(document, "reader")["component"], "codec.struct");
  EXPECT_EQ(stage(document, "sink")["component"], "sink.null");
  EXPECT_EQ(stage(document, "sink")["config"], json::object());
}

TEST(ReplicateTypes, MemLimitSizesKeysInMebibytes) {
  const json dump =
      stage(document_for({"--mem-limit", "12", "--mem-samples", "7"}), "reader")["config"];
  EXPECT_EQ(dump["mem_limit_bytes"], 12 * 1048576);
  EXPECT_EQ(dump["memory_samples"], 7);
  EXPECT_EQ(dump["over_limit"], "skip") << "RIOT's behaviour by default";
  EXPECT_EQ(stage(document_for({"--mem-limit", "1", "--mem-limit-policy", "struct"}),
                  "reader")["config"]["over_limit"],
            "struct");

  const json by_type =
      stage(document_for({"--type", "struct", "--mem-limit", "3"}), "reader")["config"];
  EXPECT_EQ(by_type["chunk_above_bytes"], 3 * 1048576);
  EXPECT_EQ(by_type["memory_samples"], 5);
  EXPECT_FALSE(by_type.contains("mem_limit_bytes"));
  EXPECT_EQ(stage(document_for({"--type", "struct", "--mem-limit", "0"}),
                  "reader")["config"]["chunk_above_bytes"],
            0)
      << "0: every key read whole";
}

TEST(ReplicateTypes, WithoutAMemLimitDumpModeSizesNoKey) {
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{}, {"--mem-limit", "0"}}) {
    const json reader = stage(document_for(options), "reader")["config"];
    for (const char* key : {"mem_limit_bytes", "memory_samples", "over_limit"})
      EXPECT_FALSE(reader.contains(key)) << key;
  }
}

TEST(ReplicateTypes, TheStringFastPathIsTheDefaultAndCanBeTurnedOff) {
  EXPECT_FALSE(stage(document_for({}), "reader")["config"].contains("string_fast_path"))
      << "codec.dump's default";
  EXPECT_EQ(stage(document_for({"--no-string-fast-path"}), "reader")["config"]["string_fast_path"],
            false);
}

TEST(ReplicateTypes, OptionsOfTheOtherTypeAreRefusedNamingBoth) {
  struct Case {
    std::vector<std::string> options;
    const char* option;
    const char* type;
  };
  for (const Case& bad :
       {Case{{"--merge-policy", "merge"}, "--merge-policy", "--type dump"},
        Case{{"--merge", "overwrite"}, "--merge-policy", "--type dump"},
        Case{{"--type", "dump", "--stream-id", "drop"}, "--stream-id", "--type dump"},
        Case{{"--type", "ds", "--mem-limit", "5", "--mem-limit-policy", "skip"},
             "--mem-limit-policy",
             "--type ds"},
        Case{{"--type", "struct", "--no-string-fast-path"},
             "--no-string-fast-path",
             "--type struct"}}) {
    const std::string message = error_for_options(bad.options);
    EXPECT_NE(message.find(bad.option), std::string::npos) << message;
    EXPECT_NE(message.find(bad.type), std::string::npos) << message;
  }
}

TEST(ReplicateTypes, BigKeyOptionsWithoutAMemLimitAreRefused) {
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{"--mem-limit-policy", "struct"},
        {"--mem-samples", "3"},
        {"--mem-limit", "0", "--mem-samples", "3"}}) {
    const std::string message = error_for_options(options);
    EXPECT_NE(message.find(options[options.size() - 2]), std::string::npos) << message;
    EXPECT_NE(message.find("--mem-limit"), std::string::npos) << message;
  }
  EXPECT_EQ(error_for_options({"--type", "struct", "--mem-samples", "3"}), "")
      << "struct mode sizes keys with codec.struct's own threshold";
}

TEST(ReplicateTypes, NoReplaceContradictsMerge) {
  const std::string message =
      error_for_options({"--type", "struct", "--merge", "merge", "--no-replace"});
  EXPECT_NE(message.find("--no-replace"), std::string::npos) << message;
  EXPECT_NE(message.find("--merge-policy merge"), std::string::npos) << message;
  EXPECT_EQ(error_for_options({"--type", "struct", "--no-replace"}), "");
}

TEST(ReplicateTypes, TypeOptionValuesAreCheckedNamingTheOption) {
  struct Case {
    const char* option;
    const char* value;
    const char* choices;
  };
  for (const Case& bad :
       {Case{"--type", "json", "dump, struct, ds"},
        Case{"--merge-policy", "append", "overwrite, merge"},
        Case{"--stream-id", "keep", "propagate, drop"},
        Case{"--mem-limit-policy", "fail", "skip, struct"}, Case{"--mem-limit", "-1", ""},
        Case{"--mem-samples", "-1", ""}, Case{"--mem-limit", "big", ""}}) {
    std::vector<std::string> options{bad.option, bad.value};
    if (std::string(bad.option) != "--type") options.insert(options.begin(), {"--type", "struct"});
    const std::string message = error_for_options(options);
    EXPECT_NE(message.find(bad.option), std::string::npos) << message;
    EXPECT_NE(message.find(bad.value), std::string::npos) << message;
    EXPECT_NE(message.find(bad.choices), std::string::npos) << message;
  }
}

TEST(ReplicateTypes, HelpShowsEveryTypeOptionWithItsDefault) {
  const std::string help = help_text(replicate_command_syntax());
  for (const char* expected :
       {"--type TYPE (=dump)", "alias: ds", "--merge-policy POLICY (=overwrite)", "Alias: --merge",
        "--stream-id POLICY (=propagate)", "--mem-limit MB", "Default: none (0)",
        "--mem-samples N (=5)", "--mem-limit-policy POLICY (=skip)", "--no-string-fast-path"}) {
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace riot::app

// --- Comparison: --mode compare and the verification after a copy --------

namespace riot::app {
namespace {

const json& pipelines_of(const json& document) {
  return document.at("pipelines");
}

// The comparing pipeline of a document: the only one of --mode compare, the
// second after a copy.
const json& comparing_pipeline(const json& document) {
  return pipelines_of(document).back();
}

const json& comparing_stage(const json& document, const char* name) {
  return comparing_pipeline(document).at("stages").at(name);
}

json compare_document_for(std::vector<std::string> options) {
  options.insert(options.begin(), {"--mode", "compare"});
  return document_for(std::move(options));
}

constexpr std::int64_t kMib = std::int64_t{1} << 20;

TEST(Comparison, CompareModeRunsOneComparingPipeline) {
  const json document = compare_document_for({});
  EXPECT_EQ(document["version"], host::kPipelineVersion);
  ASSERT_EQ(pipelines_of(document).size(), 1u) << document.dump(2);
  const json& pipeline = comparing_pipeline(document);
  EXPECT_EQ(pipeline["name"], "compare");
  EXPECT_FALSE(pipeline["stages"].contains("sink")) << "a comparison writes nothing";
  EXPECT_FALSE(pipeline["stages"].contains("repair")) << "no --repair: nothing repaired";

  const json& source = comparing_stage(document, "source");
  EXPECT_EQ(source["component"], "source.scan");
  EXPECT_EQ(source["config"]["uri"], kSource);

  // The full comparison reads values: DUMP, big keys as chunked values, and a
  // key gone from the source as an erase.
  const json& reader = comparing_stage(document, "reader");
  EXPECT_EQ(reader["component"], "codec.dump");
  EXPECT_EQ(reader["config"]["uri"], kSource);
  EXPECT_EQ(reader["config"]["erase_missing"], true);
  EXPECT_EQ(reader["config"]["mem_limit_bytes"], 4 * kMib);
  EXPECT_EQ(reader["config"]["over_limit"], "struct");
  EXPECT_FALSE(reader["config"].contains("string_fast_path")) << "codec.dump's default: on";

  const json& comparator = comparing_stage(document, "comparator");
  EXPECT_EQ(comparator["component"], "comparator.redis");
  EXPECT_EQ(comparator["config"]["uri"], kTarget) << "the comparator reads the target";
  EXPECT_EQ(comparator["config"]["source"]["uri"], kSource) << "and the source for a second look";
  EXPECT_FALSE(comparator["config"]["source"].contains("retries"))
      << "the retry policy is the comparator's, at its top level";
  EXPECT_EQ(comparator["config"]["compare"], "full");
  EXPECT_EQ(comparator["config"]["ttl_tolerance_ms"], 100);
  EXPECT_EQ(comparator["threads"], 4);
  EXPECT_EQ(comparator["batch_size"], 200);

  const json& extras = comparing_stage(document, "extras");
  EXPECT_EQ(extras["source"]["component"], "source.scan");
  EXPECT_EQ(extras["source"]["config"]["uri"], kTarget) << "the extras are the target's keys";
  EXPECT_EQ(extras["reader"]["component"], "codec.digest");
  EXPECT_EQ(extras["reader"]["config"]["uri"], kSource) << "looked for on the source";
  EXPECT_EQ(extras["reader"]["config"]["read"], "presence");

  EXPECT_EQ(pipeline["comparison"], (json{{"show_diffs", false}}));
}

TEST(Comparison, QuickComparisonReadsDigests) {
  const json document = compare_document_for({"--compare", "QUICK"});
  const json& reader = comparing_stage(document, "reader");
  EXPECT_EQ(reader["component"], "codec.digest");
  EXPECT_EQ(reader["config"]["uri"], kSource);
  EXPECT_EQ(reader["config"]["read"], "digest");
  EXPECT_EQ(comparing_stage(document, "comparator")["config"]["compare"], "quick");
}

TEST(Comparison, StructTypeComparesThroughCodecStruct) {
  const json document = compare_document_for({"--type", "struct", "--mem-limit", "2"});
  const json& reader = comparing_stage(document, "reader");
  EXPECT_EQ(reader["component"], "codec.struct");
  EXPECT_EQ(reader["config"]["erase_missing"], true);
  EXPECT_EQ(reader["config"]["chunk_above_bytes"], 2 * kMib);
  EXPECT_EQ(comparing_stage(document, "comparator")["config"]["chunk_above_bytes"], 2 * kMib);
}

// Big keys are compared in chunks above --mem-limit; the keys a copy skips
// for their size are left out of its verification alike, rather than
// reported missing.
TEST(Comparison, MemLimitDecidesWhichKeysAreComparedInChunks) {
  const json chunked = compare_document_for({"--mem-limit", "8", "--mem-limit-policy", "struct"});
  EXPECT_EQ(comparing_stage(chunked, "reader")["config"]["mem_limit_bytes"], 8 * kMib);
  EXPECT_EQ(comparing_stage(chunked, "reader")["config"]["over_limit"], "struct");
  EXPECT_EQ(comparing_stage(chunked, "comparator")["config"]["chunk_above_bytes"], 8 * kMib);

  const json skipping = document_for({"--mem-limit", "1"});
  EXPECT_EQ(comparing_stage(skipping, "reader")["config"]["over_limit"], "skip");
  EXPECT_EQ(comparing_stage(skipping, "reader")["config"]["mem_limit_bytes"], kMib);

  const json whole = compare_document_for({"--mem-limit", "0"});
  EXPECT_FALSE(comparing_stage(whole, "reader")["config"].contains("mem_limit_bytes"))
      << "0: every key whole";
}

TEST(Comparison, ComparisonOptionsReachTheComparison) {
  const json document = compare_document_for(
      {"--ttl-tolerance", "250", "--show-diffs", "--diff-report", "diffs.jsonl"});
  EXPECT_EQ(comparing_stage(document, "comparator")["config"]["ttl_tolerance_ms"], 250);
  EXPECT_EQ(comparing_pipeline(document)["comparison"],
            (json{{"show_diffs", true}, {"diff_report", "diffs.jsonl"}}));
  const json exact = compare_document_for({"--ttl-tolerance", "0"});
  EXPECT_EQ(comparing_stage(exact, "comparator")["config"]["ttl_tolerance_ms"], 0);
}

// Every filter selects the same keys on both sides: comparing a subset never
// reports the rest of the target as extra.
TEST(Comparison, FiltersApplyToBothSides) {
  const json document = compare_document_for({"--key-pattern", "user:*", "--key-type", "hash",
                                              "--key-slots", "0:100", "--scan-count", "50"});
  const json& source = comparing_stage(document, "source")["config"];
  const json& target = comparing_stage(document, "extras")["source"]["config"];
  for (const char* filter : {"match", "type", "key_slots", "count"}) {
    EXPECT_TRUE(source.contains(filter)) << filter;
    EXPECT_EQ(target[filter], source[filter]) << filter;
  }
  EXPECT_EQ(target["match"], "user:*");
  EXPECT_EQ(target["side"], "target");
  EXPECT_EQ(comparing_stage(document, "extras")["reader"]["config"]["type"], "hash")
      << "a key of another type on the source is not one of the compared keys";
}

TEST(Comparison, RepairCopiesTheSourcesValuesOver) {
  const json document = compare_document_for({"--repair"});
  const json& repair = comparing_stage(document, "repair");
  EXPECT_EQ(repair["reader"]["component"], "codec.dump");
  EXPECT_EQ(repair["reader"]["config"]["uri"], kSource);
  EXPECT_EQ(repair["reader"]["config"]["erase_missing"], true);
  EXPECT_EQ(repair["sink"]["component"], "sink.restore");
  EXPECT_EQ(repair["sink"]["config"]["uri"], kTarget);
  EXPECT_EQ(repair["sink"]["config"]["replace"], true);
  EXPECT_EQ(repair["extra"], false) << "a target may legitimately hold more";

  EXPECT_EQ(comparing_stage(compare_document_for({"--repair-extra"}), "repair")["extra"], true)
      << "--repair-extra implies --repair";

  // Even a quick comparison repairs with the values.
  const json quick = compare_document_for({"--compare", "quick", "--repair"});
  EXPECT_EQ(comparing_stage(quick, "repair")["reader"]["component"], "codec.dump");
}

// After a merging copy, a repair still overwrites: merging would keep what
// made the key different.
TEST(Comparison, RepairByTypeOverwrites) {
  const json document = document_for(
      {"--type", "struct", "--merge-policy", "merge", "--stream-id", "drop", "--repair"});
  EXPECT_EQ(stage(document, "sink")["config"]["merge"], "merge") << "the copy merges";
  const json& repair = comparing_stage(document, "repair");
  EXPECT_EQ(repair["reader"]["component"], "codec.struct");
  EXPECT_EQ(repair["sink"]["component"], "sink.struct");
  EXPECT_EQ(repair["sink"]["config"]["merge"], "overwrite");
  EXPECT_EQ(repair["sink"]["config"]["stream_ids"], "propagate");
}

TEST(Comparison, SnapshotIsFollowedByItsVerification) {
  const std::vector<std::string> options{"--key-pattern", "a*", "--show-diffs", "--repair"};
  const json document = document_for(options);
  ASSERT_EQ(pipelines_of(document).size(), 2u) << document.dump(2);
  EXPECT_EQ(pipelines_of(document)[0]["name"], "snapshot");
  EXPECT_EQ(stage(document, "sink")["component"], "sink.restore");
  EXPECT_FALSE(pipelines_of(document)[0].contains("version")) << "the document's, not the copy's";
  EXPECT_EQ(comparing_pipeline(document)["name"], "verify");
  // The verification is the comparison --mode compare runs.
  json compared = comparing_pipeline(compare_document_for(options));
  compared["name"] = "verify";
  EXPECT_EQ(comparing_pipeline(document), compared);
}

TEST(Comparison, LiveRunEndedByItsIdleTimeoutIsVerified) {
  for (const char* mode : {"live", "liveonly"}) {
    const json document = document_in_mode(mode, {"--idle-timeout", "5000"});
    ASSERT_EQ(pipelines_of(document).size(), 2u) << mode;
    EXPECT_EQ(pipelines_of(document)[0]["name"], mode);
    EXPECT_EQ(pipelines_of(document)[0]["runtime"]["idle_timeout_ms"], 5000) << mode;
    EXPECT_EQ(comparing_pipeline(document)["name"], "verify") << mode;
    EXPECT_FALSE(comparing_pipeline(document).contains("runtime"))
        << "the comparison has an end; it needs no idle timeout";
  }
}

// Nothing to verify: --no-verify; a dry run wrote nothing; a live run
// without an idle timeout ends by a signal. The copy keeps the single form.
TEST(Comparison, NothingIsVerifiedWhereNothingCanBe) {
  for (const json& document :
       {document_for({"--no-verify"}), document_for({"--dry-run"}), document_in_mode("live", {}),
        document_in_mode("live", {"--idle-timeout", "0"}),
        document_in_mode("liveonly", {"--no-verify", "--idle-timeout", "10"})}) {
    EXPECT_FALSE(document.contains("pipelines")) << document.dump(2);
    EXPECT_TRUE(document.contains("stages")) << document.dump(2);
  }
}

// Every connecting stage of the comparison takes its side's connection
// options: credentials, TLS, cluster, timeouts (and the retry policy, but in
// the comparator's "source", whose retries are the comparator's).
TEST(Comparison, EveryConnectionTakesItsSidesOptions) {
  const json document = compare_document_for({"--source-user",
                                              "su",
                                              "--source-pass",
                                              "sp",
                                              "--source-tls",
                                              "--source-cacert",
                                              "s.pem",
                                              "--source-cluster",
                                              "--target-client-name",
                                              "tn",
                                              "--target-insecure",
                                              "--target-cert",
                                              "t.pem",
                                              "--target-key",
                                              "t.key",
                                              "--connect-timeout",
                                              "777",
                                              "--retry",
                                              "7",
                                              "--repair"});
  const json& stages = comparing_pipeline(document)["stages"];
  for (const auto& [pointer, config] : std::vector<std::pair<std::string, json>>{
           {"source", stages["source"]["config"]},
           {"reader", stages["reader"]["config"]},
           {"comparator", stages["comparator"]["config"]},
           {"comparator/source", stages["comparator"]["config"]["source"]},
           {"extras/source", stages["extras"]["source"]["config"]},
           {"extras/reader", stages["extras"]["reader"]["config"]},
           {"repair/reader", stages["repair"]["reader"]["config"]},
           {"repair/sink", stages["repair"]["sink"]["config"]}}) {
    EXPECT_EQ(config["connect_timeout_ms"], 777) << pointer;
    if (config["uri"] == kSource) {
      EXPECT_EQ(config["user"], "su") << pointer;
      EXPECT_EQ(config["password"], "sp") << pointer;
      EXPECT_EQ(config["tls"], true) << pointer;
      EXPECT_TRUE(config["cacert"].get<std::string>().ends_with("/s.pem")) << pointer;
      EXPECT_EQ(config["cluster"], true) << pointer;
      EXPECT_FALSE(config.contains("client_name")) << pointer;
    } else {
      ASSERT_EQ(config["uri"], kTarget) << pointer;
      EXPECT_EQ(config["client_name"], "tn") << pointer;
      EXPECT_EQ(config["insecure"], true) << pointer;
      EXPECT_TRUE(config["cert"].get<std::string>().ends_with("/t.pem")) << pointer;
      EXPECT_TRUE(config["key"].get<std::string>().ends_with("/t.key")) << pointer;
      EXPECT_FALSE(config.contains("user")) << pointer;
      EXPECT_FALSE(config.contains("cluster")) << pointer;
    }
    if (pointer != "comparator/source") {
      EXPECT_EQ(config["retries"], 7) << pointer;
    }
  }
}

// A combination that makes no sense is refused naming both options (or the
// option and the mode).
TEST(Comparison, OptionsWithoutAComparisonAreRefusedNamingBoth) {
  struct Case {
    std::vector<std::string> options;
    std::vector<const char*> named;
  };
  for (const Case& refused : std::vector<Case>{
           {{"--no-verify", "--repair"}, {"--repair", "--no-verify"}},
           {{"--no-verify", "--show-diffs"}, {"--show-diffs", "--no-verify"}},
           {{"--dry-run", "--compare", "quick"}, {"--compare", "--dry-run"}},
           {{"--dry-run", "--diff-report", "d.jsonl"}, {"--diff-report", "--dry-run"}},
           {{"--mode", "live", "--ttl-tolerance", "5"}, {"--ttl-tolerance", "--idle-timeout"}},
           {{"--mode", "liveonly", "--repair-extra"}, {"--repair-extra", "--mode liveonly"}},
           {{"--mode", "compare", "--no-verify"}, {"--no-verify", "--mode compare"}},
           {{"--mode", "compare", "--dry-run"}, {"--dry-run", "--mode compare"}},
           {{"--mode", "compare", "--merge-policy", "merge", "--type", "struct"},
            {"--merge-policy", "--mode compare"}},
           {{"--mode", "compare", "--no-replace"}, {"--no-replace", "--mode compare"}},
           {{"--mode", "compare", "--idle-timeout", "5"}, {"--idle-timeout", "--mode compare"}},
           {{"--no-replace", "--repair"}, {"--no-replace", "--repair"}},
           {{"--no-replace", "--repair-extra"}, {"--no-replace", "--repair-extra"}},
           {{"--compare", "quick", "--mem-limit", "1"}, {"--compare quick", "--mem-limit"}}}) {
    const std::string message = error_for_options(refused.options);
    ASSERT_FALSE(message.empty()) << refused.options.front() << " accepted";
    for (const char* name : refused.named)
      EXPECT_NE(message.find(name), std::string::npos) << name << ": " << message;
  }
}

TEST(Comparison, ComparisonOptionValuesAreCheckedNamingTheOption) {
  struct Case {
    const char* option;
    const char* value;
  };
  for (const Case& bad : {Case{"--compare", "deep"}, Case{"--ttl-tolerance", "-1"},
                          Case{"--ttl-tolerance", "604800001"}, Case{"--ttl-tolerance", "soon"},
                          Case{"--diff-report", ""}}) {
    const std::string message = error_for_options({"--mode", "compare", bad.option, bad.value});
    EXPECT_NE(message.find(bad.option), std::string::npos) << bad.option << ": " << message;
    EXPECT_NE(message.find(bad.value), std::string::npos) << bad.option << ": " << message;
  }
  EXPECT_NE(error_for_options({"--compare", "deep"}).find("full, quick"), std::string::npos);
}

TEST(Comparison, HelpShowsEveryComparisonOptionWithItsDefault) {
  const std::string help = help_text(replicate_command_syntax());
  for (const char* expected :
       {"--no-verify", "--compare DEPTH (=full)", "--ttl-tolerance MS (=100)", "--show-diffs",
        "--diff-report FILE", "--repair", "--repair-extra", "docs/compare.md"}) {
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace riot::app
