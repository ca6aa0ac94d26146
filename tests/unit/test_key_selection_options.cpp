// --key-include, --key-exclude and --key-process: read, checked (a bad regex
// or expression is refused naming the option), and mapped onto the
// "transforms" stages of every pipeline a replicate run makes, with the
// walks of the target adapted to a renaming; the documents validate against
// the bundled plugins and print back the same.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "key_selection.hpp"
#include "key_selection_stages.hpp"
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

std::vector<std::string> with_uris(std::vector<std::string> options) {
  options.insert(options.begin(), {"redis://source:6379", "redis://target:6380"});
  return options;
}

ReplicateOptions options_for(std::vector<std::string> options) {
  return replicate_options_for(with_uris(std::move(options)));
}

json document_for(std::vector<std::string> options) {
  return replicate_pipeline_document(options_for(std::move(options)));
}

std::string error_for(std::vector<std::string> options) {
  return replicate_error_for(with_uris(std::move(options)));
}

TEST(KeySelectionOptions, RepeatableRegexesAndTheRenamingReachTheTransforms) {
  const json document =
      document_for({"--key-include", "user:.*", "--key-include", "cart:.*", "--key-exclude",
                    "user:tmp:.*", "--key-proc", "new:#{key}", "--no-verify"});
  const json& transforms = document["stages"]["transforms"];
  ASSERT_EQ(transforms.size(), 2u) << document.dump(2);
  EXPECT_EQ(transforms[0]["component"], "transform.key_filter");
  EXPECT_EQ(transforms[0]["config"]["include"], json({"user:.*", "cart:.*"}));
  EXPECT_EQ(transforms[0]["config"]["exclude"], json({"user:tmp:.*"}));
  EXPECT_EQ(transforms[1]["component"], "transform.key_rename");
  EXPECT_EQ(transforms[1]["config"]["expression"], "new:#{key}");
}

TEST(KeySelectionOptions, NoneMeansNoTransformStage) {
  EXPECT_FALSE(document_for({"--no-verify"})["stages"].contains("transforms"));
}

TEST(KeySelectionOptions, BadValuesAreRefusedNamingTheOption) {
  const std::string regex = error_for({"--key-exclude", "tmp:(x"});
  EXPECT_NE(regex.find("--key-exclude"), std::string::npos) << regex;
  EXPECT_NE(regex.find("tmp:(x"), std::string::npos) << regex;
  EXPECT_NE(regex.find("missing )"), std::string::npos) << regex;
  const std::string expression = error_for({"--key-process", "#{type}:#{key}"});
  EXPECT_NE(expression.find("--key-process"), std::string::npos) << expression;
  EXPECT_NE(expression.find("#{type}"), std::string::npos) << expression;
}

TEST(KeySelectionOptions, KeySlotsWithARenamingOnlyWithoutATargetWalk) {
  const std::vector<std::string> both{"--key-slots", "0:100", "--key-process", "n:#{key}"};
  EXPECT_NE(error_for(both).find("--key-slots cannot go with --key-process"), std::string::npos);
  std::vector<std::string> unverified = both;
  unverified.push_back("--no-verify");
  EXPECT_EQ(error_for(unverified), "");
}

// Every pipeline of a verified live run selects and names alike, and the
// walks of the target take every key, the transforms mapping them back.
TEST(KeySelectionOptions, EveryPipelineHasTheTransformsAndTargetWalksAreAdapted) {
  const json document = document_for({"--mode", "live", "--idle-timeout", "1000", "--key-pattern",
                                      "user:*", "--key-process", "s/^user:/u:/"});
  ASSERT_EQ(document["pipelines"].size(), 2u);
  for (const json& pipeline : document["pipelines"]) {
    const json& transforms = pipeline["stages"]["transforms"];
    ASSERT_EQ(transforms.size(), 2u) << pipeline.dump(2);
    EXPECT_EQ(transforms[0]["config"]["include"], json({"user:.*"})) << "the glob, as a regex";
    EXPECT_EQ(transforms[1]["config"]["expression"], "s/^user:/u:/");
  }
  const json& copy = document["pipelines"][0]["stages"];
  EXPECT_EQ(copy["sources"][1]["config"]["match"], "user:*") << "the source scans as before";
  EXPECT_EQ(copy["reconcile"][1]["walks"], "target");
  EXPECT_EQ(copy["reconcile"][1]["config"]["match"], "*");
  EXPECT_EQ(document["pipelines"][1]["stages"]["extras"]["source"]["config"]["match"], "*");
}

TEST(KeySelectionOptions, DocumentsValidateAndPrintBackTheSame) {
  host::PluginRegistry registry;
  registry.load_directory(RIOT_PLUGIN_DIR);
  for (const auto& options : std::vector<std::vector<std::string>>{
           {"--key-include", "a.*", "--key-exclude", "b.*", "--mode", "compare"},
           {"--key-process", "s/^a:(.*)$/b:\\1/", "--type", "struct"},
           {"--mode", "compare", "--key-proc", "x:#{key}", "--repair", "--repair-extra"},
           {"--mode", "live", "--idle-timeout", "1000", "--key-proc", "x:#{key}", "--key-pattern",
            "k[0-9]?"}}) {
    const json document = document_for(options);
    const host::DocumentValidation validation = host::validate_document(document, registry);
    ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string() << "\n"
                                 << document.dump(2);
    // The transforms (and a target walk's "walks") print back as given.
    const json printed = host::to_document(validation.document);
    ASSERT_EQ(printed["pipelines"].size(), document["pipelines"].size());
    for (std::size_t i = 0; i < document["pipelines"].size(); ++i) {
      const json& given = document["pipelines"][i]["stages"];
      const json& back = printed["pipelines"][i]["stages"];
      EXPECT_EQ(back["transforms"], given["transforms"]) << i;
      if (given.contains("reconcile")) {
        EXPECT_EQ(back["reconcile"][1]["walks"], "target");
        EXPECT_FALSE(back["reconcile"][0].contains("walks"));
      }
    }
  }
}

// `riot validate` checks transform stages as any other: the regex at fault
// under its configuration's pointer, a component of another kind refused.
TEST(KeySelectionOptions, ValidationNamesTheTransformAtFault) {
  host::PluginRegistry registry;
  registry.load_directory(RIOT_PLUGIN_DIR);
  json document = document_for({"--key-include", "a.*", "--no-verify"});
  document["stages"]["transforms"].push_back(
      {{"component", "transform.key_filter"}, {"config", {{"exclude", {"ok", "bad("}}}}});
  document["stages"]["transforms"].push_back({{"component", "sink.null"}});
  const host::DocumentValidation validation = host::validate_document(document, registry);
  ASSERT_EQ(validation.errors.size(), 2u) << document.dump(2);
  EXPECT_EQ(validation.errors[0].pointer, "/stages/transforms/1/config");
  EXPECT_NE(validation.errors[0].message.find("exclude[1]: invalid regular expression \"bad(\""),
            std::string::npos)
      << validation.errors[0].message;
  EXPECT_EQ(validation.errors[1].pointer, "/stages/transforms/2/component");
  EXPECT_NE(validation.errors[1].message.find("needs a transform"), std::string::npos)
      << validation.errors[1].message;
}

TEST(GlobToRegex, MatchesAsRedisGlobsDo) {
  const auto matches = [](const std::string& glob, const std::string& key) {
    return transform_plugin::KeySelection({glob_to_regex(glob)}, {}).selects(key);
  };
  EXPECT_TRUE(matches("user:*", "user:1"));
  EXPECT_FALSE(matches("user:*", "xuser:1"));
  EXPECT_TRUE(matches("k?", "k1"));
  EXPECT_FALSE(matches("k?", "k12"));
  EXPECT_TRUE(matches("k[0-9]", "k5"));
  EXPECT_FALSE(matches("k[^0-9]", "k5"));
  EXPECT_TRUE(matches("a.b(c)", "a.b(c)"));
  EXPECT_FALSE(matches("a.b", "axb"));
  EXPECT_TRUE(matches("a\\*", "a*"));
  EXPECT_FALSE(matches("a\\*", "ab"));
}

}  // namespace
}  // namespace riot::app
