// validate_document and to_document for documents of several pipelines and
// comparing pipelines, against the good/, forms/ and compare/ fixture plugins
// (the comparator is test.comparator): pointers within the pipeline list, the
// stages a comparing pipeline may have, record forms checked per pair, names,
// the diff report's path, and the round trip of what --print-pipeline prints.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "riot/host/pipeline_spec.hpp"

namespace {

using nlohmann::json;
using riot::host::DocumentValidation;
using riot::host::PluginRegistry;
using Errors = std::vector<std::string>;

class DocumentValidationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = std::make_unique<PluginRegistry>();
    registry_->load_directory(std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "good");
    registry_->load_directory(std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "forms");
    registry_->load_directory(std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "compare");
  }
  static void TearDownTestSuite() { registry_.reset(); }

  static DocumentValidation validate(const json& document) {
    return riot::host::validate_document(document, *registry_);
  }

  static Errors errors_of(const json& document) {
    Errors errors;
    for (const auto& error : validate(document).errors) errors.push_back(error.to_string());
    return errors;
  }

  static json copying_pipeline() {
    return json::parse(R"({
      "name": "snapshot",
      "stages": {
        "source": {"component": "test.source", "config": {"count": 10}},
        "reader": {"component": "test.reader"},
        "sink": {"component": "test.sink", "config": {"uri": "redis://target"}}
      }
    })");
  }

  static json comparing_pipeline() {
    return json::parse(R"({
      "name": "verify",
      "stages": {
        "source": {"component": "test.source", "config": {"count": 10}},
        "reader": {"component": "test.reader", "threads": 2},
        "comparator": {"component": "test.comparator", "threads": 3, "batch_size": 50},
        "extras": {"source": {"component": "test.source", "config": {"prefix": "t:"}},
                   "reader": {"component": "test.reader", "threads": 1}},
        "repair": {"reader": {"component": "test.reader"},
                   "sink": {"component": "test.sink", "config": {"uri": "redis://target"}},
                   "extra": true}
      },
      "comparison": {"show_diffs": true}
    })");
  }

  static json two_pipelines() {
    return {{"version", 1}, {"pipelines", {copying_pipeline(), comparing_pipeline()}}};
  }

  static inline std::unique_ptr<PluginRegistry> registry_;
};

TEST_F(DocumentValidationTest, ReadsSeveralPipelinesWithComparisonPasses) {
  const DocumentValidation validation = validate(two_pipelines());
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  const auto& pipelines = validation.document.pipelines;
  ASSERT_EQ(pipelines.size(), 2u);
  EXPECT_FALSE(validation.document.single_form);

  EXPECT_EQ(pipelines[0].name, "snapshot");
  EXPECT_FALSE(pipelines[0].compares());
  EXPECT_EQ(&pipelines[0].output(), &pipelines[0].sink);

  const auto& verify = pipelines[1];
  EXPECT_EQ(verify.name, "verify");
  ASSERT_TRUE(verify.compares());
  EXPECT_EQ(&verify.output(), &verify.comparator);
  EXPECT_EQ(verify.comparator.resolved, registry_->find("test.comparator"));
  EXPECT_EQ(verify.comparator.threads, 3);
  EXPECT_EQ(verify.comparator.batch_size, 50u);
  EXPECT_EQ(verify.comparator.config, json::parse(R"({"ttl_tolerance_ms": 100})"));
  ASSERT_TRUE(verify.extras);
  EXPECT_EQ(verify.extras->source.config["prefix"], "t:");
  EXPECT_EQ(verify.extras->reader.threads, 1);
  ASSERT_TRUE(verify.repair);
  EXPECT_TRUE(verify.repair->extra);
  EXPECT_EQ(verify.repair->sink.resolved, registry_->find("test.sink"));
  EXPECT_TRUE(verify.comparison.show_diffs);
  EXPECT_EQ(verify.comparison.diff_report, "");
  EXPECT_FALSE(verify.datatypes.empty()) << "every pipeline finds the datatypes";
}

TEST_F(DocumentValidationTest, NamesPipelinesByTheirPlaceUnlessNamed) {
  json document = two_pipelines();
  document["pipelines"][0].erase("name");
  document["pipelines"][1].erase("name");
  const DocumentValidation validation = validate(document);
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  EXPECT_EQ(validation.document.pipelines[0].name, "pipeline 1");
  EXPECT_EQ(validation.document.pipelines[1].name, "pipeline 2");
}

TEST_F(DocumentValidationTest, ReportsErrorsOfEveryPipelineAtOnceWithTheirPointers) {
  json document = two_pipelines();
  document["pipelines"][0]["stages"]["reader"]["threads"] = 0;
  document["pipelines"][1]["stages"]["comparator"]["config"]["ttl_tolerance_ms"] = -1;
  document["pipelines"][1]["stages"]["extras"]["reader"]["component"] = "test.raeder";
  document["pipelines"][1]["name"] = "snapshot";
  EXPECT_EQ(errors_of(document),
            (Errors{"/pipelines/0/stages/reader/threads: must be between 1 and 256; got 0",
                    "/pipelines/1/stages/comparator/config/ttl_tolerance_ms: must be >= 0; got -1",
                    "/pipelines/1/stages/extras/reader/component: unknown component "
                    "'test.raeder'; did you mean: test.reader",
                    "/pipelines/1/name: pipeline name 'snapshot' is already the name of "
                    "/pipelines/0; names must be unique"}));
}

TEST_F(DocumentValidationTest, RefusesTheTwoFormsMixedAndAnEmptyList) {
  json document = two_pipelines();
  document["stages"] = copying_pipeline()["stages"];
  document["runtime"] = json::object();
  EXPECT_EQ(errors_of(document),
            (Errors{"/runtime: unknown key 'runtime'; allowed keys: pipelines, version ('stages' "
                    "and 'runtime' go inside each pipeline of 'pipelines')",
                    "/stages: unknown key 'stages'; allowed keys: pipelines, version ('stages' "
                    "and 'runtime' go inside each pipeline of 'pipelines')"}));
  EXPECT_EQ(errors_of({{"pipelines", json::array()}}),
            Errors{"/pipelines: needs at least one pipeline"});
  EXPECT_EQ(errors_of({{"pipelines", {1}}}), Errors{"/pipelines/0: expected object, got integer"});
}

TEST_F(DocumentValidationTest, RequiresExactlyOneOfSinkAndComparator) {
  json both = comparing_pipeline();
  both["stages"]["sink"] = copying_pipeline()["stages"]["sink"];
  EXPECT_EQ(errors_of(both), Errors{"/stages: both 'sink' and 'comparator' given; a pipeline "
                                    "writes or compares, keep one"});
  json neither = copying_pipeline();
  neither["stages"].erase("sink");
  EXPECT_EQ(errors_of(neither), Errors{"/stages: missing required stage 'sink' (or 'comparator')"});
}

TEST_F(DocumentValidationTest, RefusesAComparatorAsSinkAndASinkAsComparatorNamingTheKinds) {
  json document = copying_pipeline();
  document["stages"]["sink"] = {{"component", "test.comparator"}};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/component: component 'test.comparator' is a comparator, but the "
                   "sink stage needs a sink"});
  document = comparing_pipeline();
  document["stages"]["comparator"] = {{"component", "test.sink"}};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/comparator/component: component 'test.sink' is a sink, but the "
                   "comparator stage needs a comparator"});
}

TEST_F(DocumentValidationTest, RefusesComparisonPartsInAPipelineThatWrites) {
  json document = copying_pipeline();
  document["stages"]["extras"] = comparing_pipeline()["stages"]["extras"];
  document["stages"]["repair"] = comparing_pipeline()["stages"]["repair"];
  document["comparison"] = {{"show_diffs", true}};
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/extras: 'extras' applies only to a pipeline with a 'comparator' stage",
                    "/stages/repair: 'repair' applies only to a pipeline with a 'comparator' stage",
                    "/comparison: 'comparison' applies only to a pipeline with a 'comparator' "
                    "stage"}));
}

TEST_F(DocumentValidationTest, ChecksTheRecordFormsOfEveryPair) {
  json document = comparing_pipeline();
  // test.valuereader produces value and erase records: the comparator takes
  // dump and erase, test.sink dump only.
  document["stages"]["reader"]["component"] = "test.valuereader";
  document["stages"]["extras"]["reader"]["component"] = "test.valuereader";
  document["stages"]["repair"]["reader"]["component"] = "test.valuereader";
  const Errors errors = errors_of(document);
  ASSERT_EQ(errors.size(), 3u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].rfind("/stages/comparator/component: comparator 'test.comparator' accepts "
                            "dump, erase records, but reader 'test.valuereader' (/stages/reader) "
                            "produces value",
                            0),
            0u)
      << errors[0];
  EXPECT_NE(errors[1].find("(/stages/extras/reader)"), std::string::npos) << errors[1];
  EXPECT_EQ(errors[1].rfind("/stages/comparator/component: ", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind("/stages/repair/sink/component: sink 'test.sink'", 0), 0u) << errors[2];
}

TEST_F(DocumentValidationTest, ChecksExtrasAndRepairStructure) {
  json document = comparing_pipeline();
  document["stages"]["extras"] = {{"source", {{"component", "test.source"}, {"threads", 2}}},
                                  {"sink", json::object()}};
  document["stages"]["repair"] = {{"reader", {{"component", "test.reader"}}}, {"extra", "yes"}};
  document["comparison"] = {{"show_diff", true}, {"diff_report", 7}};
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/extras/sink: unknown key 'sink'; allowed keys: reader, source",
                    "/stages/extras/source/threads: unknown key 'threads'; allowed keys: "
                    "component, config (threads, batch_size, batch_bytes, queue_capacity and "
                    "queue_bytes apply to the reader, sink and comparator stages only)",
                    "/stages/extras: missing required stage 'reader'",
                    "/stages/repair: missing required stage 'sink'",
                    "/stages/repair/extra: expected boolean, got string",
                    "/comparison/show_diff: unknown key 'show_diff'; allowed keys: diff_report, "
                    "show_diffs",
                    "/comparison/diff_report: expected string, got integer"}));
}

TEST_F(DocumentValidationTest, RefusesADiffReportThatCannotBeCreatedNamingThePath) {
  json document = comparing_pipeline();
  const std::string missing_dir = "/nonexistent-riot-dir/diffs.jsonl";
  document["comparison"]["diff_report"] = missing_dir;
  EXPECT_EQ(errors_of(document),
            Errors{"/comparison/diff_report: cannot create the diff report '" + missing_dir +
                   "': the directory '/nonexistent-riot-dir' does not exist"});

  const std::filesystem::path directory = std::filesystem::temp_directory_path();
  document["comparison"]["diff_report"] = directory.string();
  EXPECT_EQ(errors_of(document), Errors{"/comparison/diff_report: cannot create the diff report '" +
                                        directory.string() + "': it is a directory"});

  const std::filesystem::path fine =
      directory / ("riot-diffs-" + std::to_string(::getpid()) + ".jsonl");
  document["comparison"]["diff_report"] = fine.string();
  EXPECT_TRUE(validate(document).ok());
  EXPECT_FALSE(std::filesystem::exists(fine)) << "validation creates nothing";
}

TEST_F(DocumentValidationTest, ToDocumentValidatesBackToTheSameDocument) {
  const DocumentValidation first = validate(two_pipelines());
  ASSERT_TRUE(first.ok());
  const json printed = riot::host::to_document(first.document);
  ASSERT_TRUE(printed.contains("pipelines"));
  EXPECT_EQ(printed["pipelines"][1]["stages"]["repair"]["extra"], true);
  EXPECT_EQ(printed["pipelines"][1]["comparison"]["show_diffs"], true);
  const DocumentValidation second = validate(printed);
  ASSERT_TRUE(second.ok()) << second.errors.front().to_string();
  EXPECT_EQ(riot::host::to_document(second.document), printed);
  EXPECT_EQ(second.document.pipelines[1].comparator.threads, 3);
  EXPECT_EQ(second.document.pipelines[1].extras->reader.threads, 1);
}

TEST_F(DocumentValidationTest, ASinglePipelineIsPrintedInTheFormItWasRead) {
  json single = comparing_pipeline();
  single["version"] = 1;
  const DocumentValidation validation = validate(single);
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  EXPECT_TRUE(validation.document.single_form);
  const json printed = riot::host::to_document(validation.document);
  EXPECT_FALSE(printed.contains("pipelines"));
  EXPECT_EQ(printed["name"], "verify");
  EXPECT_EQ(riot::host::to_document(validate(printed).document), printed);

  const json listed = {{"version", 1}, {"pipelines", {comparing_pipeline()}}};
  EXPECT_TRUE(riot::host::to_document(validate(listed).document).contains("pipelines"));
}

}  // namespace
