// validate_pipeline and to_document against the components of the good/
// fixture plugins: structure, stage settings, component resolution, the
// components' configurations, every error at once, and the round trip.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "riot/host/pipeline_spec.hpp"

namespace {

using nlohmann::json;
using riot::host::PipelineValidation;
using riot::host::PluginRegistry;
using Errors = std::vector<std::string>;

class PipelineValidationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = std::make_unique<PluginRegistry>();
    registry_->load_directory(std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "good");
    registry_->load_directory(std::filesystem::path(RIOT_FIXTURE_PLUGIN_DIR) / "forms");
  }
  static void TearDownTestSuite() { registry_.reset(); }

  static PipelineValidation validate(const json& document) {
    return riot::host::validate_pipeline(document, *registry_);
  }

  static Errors errors_of(const json& document) {
    Errors errors;
    for (const auto& error : validate(document).errors) errors.push_back(error.to_string());
    return errors;
  }

  // A valid document, to be spoilt by each test.
  static json valid_document() {
    return json::parse(R"({
      "version": 1,
      "stages": {
        "source": {"component": "test.source", "config": {"count": 10}},
        "reader": {"component": "test.reader"},
        "sink": {"component": "test.sink", "threads": 8, "config": {"uri": "redis://target"}}
      }
    })");
  }

  static inline std::unique_ptr<PluginRegistry> registry_;
};

TEST_F(PipelineValidationTest, AcceptsAValidDocumentFillingInEveryDefault) {
  const auto validation = validate(valid_document());
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  const auto& pipeline = validation.pipeline;

  EXPECT_EQ(pipeline.sources.front().component, "test.source");
  EXPECT_EQ(pipeline.sources.front().resolved, registry_->find("test.source"));
  EXPECT_EQ(pipeline.sources.front().config,
            json::parse(R"({"count": 10, "prefix": "key:", "batch": 100})"));
  EXPECT_EQ(pipeline.sources.front().threads, 1);

  EXPECT_EQ(pipeline.reader.resolved, registry_->find("test.reader"));
  EXPECT_EQ(pipeline.reader.config, json::parse(R"({"mode": "fast", "ratio": 0.5})"));
  EXPECT_EQ(pipeline.reader.threads, riot::host::kDefaultStageThreads);
  EXPECT_EQ(pipeline.reader.threads, 4);
  EXPECT_EQ(pipeline.reader.batch_size, 200u);
  EXPECT_EQ(pipeline.reader.queue_capacity, 10000u);

  EXPECT_EQ(pipeline.sink.resolved, registry_->find("test.sink"));
  EXPECT_EQ(pipeline.sink.threads, 8);
  EXPECT_EQ(pipeline.sink.config, json::parse(R"({
    "uri": "redis://target", "client_name": "riot", "command_timeout_ms": 5000,
    "tls": {"enabled": false, "verify": "full"}, "tags": []
  })"));
}

TEST_F(PipelineValidationTest, TreatsAnAbsentVersionAsVersionOne) {
  json document = valid_document();
  document.erase("version");
  EXPECT_EQ(errors_of(document), Errors{});
}

TEST_F(PipelineValidationTest, RefusesOtherVersions) {
  json document = valid_document();
  document["version"] = 2;
  EXPECT_EQ(errors_of(document),
            Errors{"/version: unsupported version 2; this riot reads version 1"});
  document["version"] = "1";
  EXPECT_EQ(errors_of(document), Errors{"/version: expected integer, got string"});
}

TEST_F(PipelineValidationTest, RefusesADocumentThatIsNotAnObject) {
  EXPECT_EQ(errors_of(json::array()), Errors{"/: expected object, got array"});
}

TEST_F(PipelineValidationTest, RequiresStages) {
  EXPECT_EQ(errors_of({{"version", 1}}), Errors{"/: missing required key 'stages'"});
  EXPECT_EQ(errors_of({{"stages", "all"}}), Errors{"/stages: expected object, got string"});
}

TEST_F(PipelineValidationTest, ListsTheAllowedKeysForUnknownOnes) {
  json document = valid_document();
  document["title"] = "nightly";
  document["stages"]["filter"] = json::object();
  document["stages"]["reader"]["thread"] = 2;
  EXPECT_EQ(
      errors_of(document),
      (Errors{
          "/title: unknown key 'title'; allowed keys: comparison, name, runtime, stages, version",
          "/stages/filter: unknown key 'filter'; allowed keys: comparator, extras, reader, "
          "reconcile, repair, sink, source, sources, transforms",
          "/stages/reader/thread: unknown key 'thread'; allowed keys: batch_bytes, "
          "batch_size, component, config, queue_bytes, queue_capacity, threads"}));
}

TEST_F(PipelineValidationTest, RequiresEveryStage) {
  json document = valid_document();
  document["stages"].erase("reader");
  document["stages"].erase("sink");
  EXPECT_EQ(errors_of(document), (Errors{"/stages: missing required stage 'reader'",
                                         "/stages: missing required stage 'sink' (or "
                                         "'comparator')"}));
}

TEST_F(PipelineValidationTest, RefusesRuntimeSettingsOnTheSourceStage) {
  json document = valid_document();
  document["stages"]["source"]["threads"] = 2;
  document["stages"]["source"]["batch_size"] = 10;
  const std::string hint =
      " (threads, batch_size, batch_bytes, queue_capacity and queue_bytes apply to the reader, "
      "sink and comparator stages only)";
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/source/batch_size: unknown key 'batch_size'; allowed keys: "
                    "component, config" +
                        hint,
                    "/stages/source/threads: unknown key 'threads'; allowed keys: component, "
                    "config" +
                        hint}));
}

TEST_F(PipelineValidationTest, ChecksStageStructure) {
  json document = valid_document();
  document["stages"]["source"] = "test.source";
  document["stages"]["reader"].erase("component");
  document["stages"]["sink"]["component"] = 42;
  EXPECT_EQ(errors_of(document), (Errors{"/stages/source: expected object, got string",
                                         "/stages/reader: missing required key 'component'",
                                         "/stages/sink/component: expected string, got integer"}));
}

TEST_F(PipelineValidationTest, AcceptsRuntimeSettingsAtTheirLimits) {
  json document = valid_document();
  auto& reader = document["stages"]["reader"];
  reader["threads"] = 1;
  reader["batch_size"] = 100000;
  reader["queue_capacity"] = 10000000;
  auto& sink = document["stages"]["sink"];
  sink["threads"] = 256;
  sink["batch_size"] = 1;
  sink["queue_capacity"] = 1;
  const auto validation = validate(document);
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  EXPECT_EQ(validation.pipeline.reader.threads, 1);
  EXPECT_EQ(validation.pipeline.reader.batch_size, 100000u);
  EXPECT_EQ(validation.pipeline.reader.queue_capacity, 10000000u);
  EXPECT_EQ(validation.pipeline.sink.threads, 256);
  EXPECT_EQ(validation.pipeline.sink.batch_size, 1u);
  EXPECT_EQ(validation.pipeline.sink.queue_capacity, 1u);
}

TEST_F(PipelineValidationTest, RefusesRuntimeSettingsOutOfRange) {
  json document = valid_document();
  auto& reader = document["stages"]["reader"];
  reader["threads"] = 0;
  reader["batch_size"] = 100001;
  reader["queue_capacity"] = 10000001;
  auto& sink = document["stages"]["sink"];
  sink["threads"] = 257;
  sink["batch_size"] = "200";
  sink["queue_capacity"] = 1.5;
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/reader/threads: must be between 1 and 256; got 0",
                    "/stages/reader/batch_size: must be between 1 and 100000; got 100001",
                    "/stages/reader/queue_capacity: must be between 1 and 10000000; got 10000001",
                    "/stages/sink/threads: must be between 1 and 256; got 257",
                    "/stages/sink/batch_size: expected integer, got string",
                    "/stages/sink/queue_capacity: expected integer, got number"}));
}

TEST_F(PipelineValidationTest, SuggestsTheNearestNamesForAnUnknownComponent) {
  json document = valid_document();
  document["stages"]["sink"]["component"] = "test.snk";
  const auto validation = validate(document);
  ASSERT_EQ(validation.errors.size(), 1u);
  EXPECT_EQ(validation.errors[0].to_string(),
            "/stages/sink/component: unknown component 'test.snk'; did you mean: test.sink");
  EXPECT_EQ(validation.pipeline.sink.resolved, nullptr);
}

TEST_F(PipelineValidationTest, ListsTheStagesComponentsWhenNoNameIsClose) {
  json document = valid_document();
  document["stages"]["sink"]["component"] = "sink.restore";
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/component: unknown component 'sink.restore'; available sink "
                   "components: test.null, test.sink, test.valuesink"});
}

TEST_F(PipelineValidationTest, RefusesAComponentOfTheWrongKindNamingBothKinds) {
  json document = valid_document();
  document["stages"]["reader"]["component"] = "test.sink";
  document["stages"]["sink"]["component"] = "test.source";
  const auto validation = validate(document);
  Errors errors;
  for (const auto& error : validation.errors) errors.push_back(error.to_string());
  // The configuration is not checked against a component that cannot run.
  EXPECT_EQ(errors,
            (Errors{"/stages/reader/component: component 'test.sink' is a sink, but the reader "
                    "stage needs a reader",
                    "/stages/sink/component: component 'test.source' is a source, but the sink "
                    "stage needs a sink"}));
  EXPECT_EQ(validation.pipeline.reader.resolved, nullptr);
}

TEST_F(PipelineValidationTest, ValidatesEachConfigurationAgainstItsComponentsSchema) {
  json document = valid_document();
  document["stages"]["source"]["config"] = {{"count", -1}};
  document["stages"]["reader"]["config"] = {{"mode", "slow"}};
  document["stages"]["sink"]["config"] = {{"urii", "redis://target"}, {"tls", {{"verify", 1}}}};
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/source/config/count: must be >= 0; got -1",
                    R"(/stages/reader/config/mode: must be one of "fast", "safe"; got "slow")",
                    "/stages/sink/config: missing required key 'uri'",
                    R"(/stages/sink/config/tls/verify: must be one of "full", "ca", "none"; got 1)",
                    "/stages/sink/config/urii: unknown key 'urii'; allowed keys: client_name, "
                    "command_timeout_ms, password, tags, tls, uri, user"}));
}

// The component's own check (test.sink refuses the tag "refused") runs after
// its schema, and its message lands under the configuration's pointer.
TEST_F(PipelineValidationTest, RunsTheComponentsCheckAfterItsSchema) {
  json document = valid_document();
  document["stages"]["sink"]["config"]["tags"] = {"kept", "refused"};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/config: sink setting 'tags': 'refused' is refused"});
}

// A configuration its schema refuses is not checked: the check (the
// factory's parse) may assume what the schema guarantees.
TEST_F(PipelineValidationTest, SkipsTheCheckOfAConfigurationItsSchemaRefuses) {
  json document = valid_document();
  document["stages"]["sink"]["config"]["tags"] = {"refused", ""};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/config/tags/1: must be at least 1 character long; got 0"});
}

TEST_F(PipelineValidationTest, ReportsACheckThatFailsOtherwiseNamingTheComponent) {
  json document = valid_document();
  document["stages"]["sink"]["config"]["tags"] = {"broken"};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/config: the check of component 'test.sink' failed: the tag "
                   "parser broke"});
}

TEST_F(PipelineValidationTest, ChecksAnAbsentConfigurationAsAnEmptyOne) {
  json document = valid_document();
  document["stages"]["sink"].erase("config");
  EXPECT_EQ(errors_of(document), Errors{"/stages/sink/config: missing required key 'uri'"});
}

TEST_F(PipelineValidationTest, RefusesAConfigurationThatIsNotAnObject) {
  json document = valid_document();
  document["stages"]["sink"]["config"] = "redis://target";
  document["stages"]["reader"]["component"] = "test.unknown-reader";
  document["stages"]["reader"]["config"] = json::array();
  EXPECT_EQ(errors_of(document),
            (Errors{"/stages/reader/component: unknown component 'test.unknown-reader'; available "
                    "reader components: test.reader, test.valuereader",
                    "/stages/reader/config: expected object, got array",
                    "/stages/sink/config: expected object, got string"}));
}

TEST_F(PipelineValidationTest, ReportsEveryErrorOfTheDocumentAtOnce) {
  const json document = json::parse(R"({
    "version": 3,
    "stages": {
      "source": {"component": "test.sourec", "threads": 2},
      "reader": {"component": "test.reader", "threads": 0, "config": {"ratio": 1}},
      "sink": {"component": "test.sink", "config": {"uri": "http://x", "tags": ["a", ""]}},
      "filter": {}
    }
  })");
  EXPECT_EQ(
      errors_of(document),
      (Errors{
          "/version: unsupported version 3; this riot reads version 1",
          "/stages/filter: unknown key 'filter'; allowed keys: comparator, extras, reader, "
          "reconcile, repair, sink, source, sources, transforms",
          "/stages/source/threads: unknown key 'threads'; allowed keys: component, "
          "config (threads, batch_size, batch_bytes, queue_capacity and queue_bytes "
          "apply to the reader, sink and comparator stages only)",
          "/stages/source/component: unknown component 'test.sourec'; did you mean: "
          "test.source",
          "/stages/reader/threads: must be between 1 and 256; got 0",
          "/stages/reader/config/ratio: must be < 1; got 1",
          "/stages/sink/config/tags/1: must be at least 1 character long; got 0",
          R"(/stages/sink/config/uri: does not match the pattern '^rediss?://'; got "http://x")"}));
}

TEST_F(PipelineValidationTest, ToDocumentValidatesBackToTheSameSpec) {
  const auto first = validate(valid_document());
  ASSERT_TRUE(first.ok());
  const json document = riot::host::to_document(first.pipeline);

  EXPECT_EQ(document["version"], 1);
  EXPECT_FALSE(document["stages"]["source"].contains("threads"));
  EXPECT_EQ(document["stages"]["sink"]["threads"], 8);
  EXPECT_EQ(document["stages"]["reader"]["batch_size"], 200);

  const auto second = validate(document);
  ASSERT_TRUE(second.ok()) << second.errors.front().to_string();
  ASSERT_EQ(second.pipeline.sources.size(), 1u);
  const auto stages_of = [](const riot::host::PipelineSpec& spec) {
    return std::vector<const riot::host::StageSpec*>{&spec.sources.front(), &spec.reader,
                                                     &spec.sink};
  };
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& before = *stages_of(first.pipeline)[i];
    const auto& after = *stages_of(second.pipeline)[i];
    EXPECT_EQ(after.component, before.component);
    EXPECT_EQ(after.config, before.config);
    EXPECT_EQ(after.threads, before.threads);
    EXPECT_EQ(after.batch_size, before.batch_size);
    EXPECT_EQ(after.queue_capacity, before.queue_capacity);
    EXPECT_EQ(after.batch_bytes, before.batch_bytes);
    EXPECT_EQ(after.queue_bytes, before.queue_bytes);
    EXPECT_EQ(after.resolved, before.resolved);
  }
  EXPECT_EQ(riot::host::to_document(second.pipeline), document);
}

TEST_F(PipelineValidationTest, ToDocumentWritesAnEmptyConfigurationForAnUnsetOne) {
  riot::host::PipelineSpec spec;
  spec.sources.emplace_back().component = "test.source";
  spec.reader.component = "test.reader";
  spec.reader.threads = 2;
  spec.sink.component = "test.null";
  spec.sink.threads = 3;
  const json document = riot::host::to_document(spec);
  EXPECT_EQ(document, json::parse(R"({
    "version": 1,
    "stages": {
      "source": {"component": "test.source", "config": {}},
      "reader": {"component": "test.reader", "config": {}, "threads": 2, "batch_size": 200,
                 "queue_capacity": 10000, "batch_bytes": 2097152, "queue_bytes": 33554432},
      "sink": {"component": "test.null", "config": {}, "threads": 3, "batch_size": 200,
               "queue_capacity": 10000, "batch_bytes": 2097152, "queue_bytes": 33554432}
    }
  })"));
  EXPECT_TRUE(validate(document).ok());
}

TEST_F(PipelineValidationTest, ReadsSeveralSourcesReconciliationSourcesAndRuntimeSettings) {
  json document = valid_document();
  document["stages"].erase("source");
  document["stages"]["sources"] = json::array(
      {{{"component", "test.source"}, {"config", {{"count", 1}}}}, {{"component", "test.source"}}});
  document["stages"]["reconcile"] = json::array({{{"component", "test.source"}}});
  document["runtime"] = {{"ordered", true},           {"event_queue", 50},
                         {"event_order", "priority"}, {"idle_timeout_ms", 1500},
                         {"rate_keys", 2500},         {"rate_bytes", 1048576}};
  const auto validation = validate(document);
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string();
  const auto& pipeline = validation.pipeline;
  ASSERT_EQ(pipeline.sources.size(), 2u);
  EXPECT_EQ(pipeline.sources[0].config["count"], 1);
  ASSERT_EQ(pipeline.reconcile.size(), 1u);
  EXPECT_TRUE(pipeline.runtime.ordered);
  EXPECT_EQ(pipeline.runtime.event_queue, 50u);
  EXPECT_EQ(pipeline.runtime.event_order, riot::host::EventOrder::priority);
  EXPECT_EQ(pipeline.runtime.idle_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(pipeline.runtime.rate_keys, 2500u);
  EXPECT_EQ(pipeline.runtime.rate_bytes, 1048576u);

  // Printed and read again: the same pipeline.
  const json printed = riot::host::to_document(pipeline);
  EXPECT_EQ(printed["stages"]["sources"].size(), 2u);
  EXPECT_EQ(printed["runtime"]["event_order"], "priority");
  const auto again = validate(printed);
  ASSERT_TRUE(again.ok()) << again.errors.front().to_string();
  EXPECT_EQ(again.pipeline.runtime, pipeline.runtime);
  EXPECT_EQ(again.pipeline.reconcile.size(), 1u);
}

TEST_F(PipelineValidationTest, RefusesBadSourcesListsAndRuntimeSettingsByPointer) {
  json document = valid_document();
  document["stages"]["sources"] = json::array();
  document["stages"]["reconcile"] = json::array({{{"component", "test.sink"}}});
  document["runtime"] = {{"ordered", "yes"},
                         {"event_queue", 0},
                         {"event_order", "lifo"},
                         {"idle_timeout_ms", -1},
                         {"rate_keys", -5},
                         {"rate_bytes", "10M"},
                         {"flush", 5}};
  EXPECT_EQ(
      errors_of(document),
      (Errors{"/stages: both 'source' and 'sources' given; keep one",
              "/stages/reconcile/0/component: component 'test.sink' is a sink, but the reconcile "
              "stage needs a source",
              "/runtime/flush: unknown key 'flush'; allowed keys: event_order, event_queue, "
              "idle_timeout_ms, ordered, rate_bytes, rate_keys",
              "/runtime/ordered: expected boolean, got string",
              "/runtime/event_queue: must be between 1 and 100000000; got 0",
              "/runtime/event_order: unknown event order 'lifo'; allowed: fifo, priority",
              "/runtime/idle_timeout_ms: must be between 0 (no timeout) and 604800000; got -1",
              "/runtime/rate_keys: must be between 0 (no limit) and 1099511627776 per second; "
              "got -5",
              "/runtime/rate_bytes: expected integer, got string"}));

  document["stages"].erase("source");
  EXPECT_EQ(errors_of(document)[0], "/stages/sources: needs at least one source");
}

TEST_F(PipelineValidationTest, RefusesASinkThatCannotTakeWhatTheReaderProduces) {
  json document = valid_document();
  document["stages"]["sink"] = {{"component", "test.valuesink"}};
  EXPECT_EQ(errors_of(document),
            Errors{"/stages/sink/component: sink 'test.valuesink' accepts value, erase records, "
                   "but reader 'test.reader' (/stages/reader) produces dump (dump would not be "
                   "understood); pair codec.dump with sink.restore and codec.struct with "
                   "sink.struct"});

  document["stages"]["reader"] = {{"component", "test.valuereader"}};
  EXPECT_TRUE(validate(document).ok());
  // A sink that takes every form takes values too.
  document["stages"]["sink"] = {{"component", "test.null"}};
  EXPECT_TRUE(validate(document).ok());
}

TEST_F(PipelineValidationTest, HandsTheLoadedDatatypesToTheRun) {
  const auto validation = validate(valid_document());
  ASSERT_TRUE(validation.ok());
  ASSERT_EQ(validation.pipeline.datatypes.size(), 1u);
  EXPECT_EQ(validation.pipeline.datatypes.front()->info->name, "datatype.testtype");
}

}  // namespace
