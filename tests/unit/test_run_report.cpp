// The run report assembled from the passes a run recorded: its fields, the
// secrets of the document replaced, failed keys capped with a count of the
// rest and binary keys in base64, phases with their rates, verification by
// class, the lag, and the exit code.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "fake_running_pass.hpp"
#include "riot/host/run_report.hpp"

namespace riot::host {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

RunReportContext context_with(json document, int exit_code) {
  RunReportContext context;
  context.riot_version = "9.9.9";
  context.command = "replicate";
  context.started = std::chrono::system_clock::time_point(1767225600s);  // 2026-01-01T00:00:00Z
  context.ended = context.started + 2500ms;
  context.document = std::move(document);
  context.exit_code = exit_code;
  return context;
}

TEST(RunReport, CarriesTheRunsFiguresPerPipelineAndPass) {
  RunRecorder recorder;
  FakeRunningPass copy("copy", "replicate");
  RunSummary copied;
  copied.pipeline = "copy";
  copied.keys_scanned = 1000;
  copied.keys_read = 990;
  copied.keys_skipped = 10;
  copied.keys_written = 985;
  copied.keys_failed = 5;
  copied.bytes_read = 40000;
  copied.bytes_written = 39000;
  copied.seconds = 2.0;
  copied.scan_seconds = 0.5;
  const std::string binary_key("bin\0\r\n\xff", 7);
  copied.failure_causes.push_back({"OOM command not allowed", 5, {"k1", binary_key}});
  recorder.pass_started(copy);
  recorder.pass_ended(copy, copied);
  recorder.pipeline_ended(copied);

  const json report = run_report(
      context_with({{"stages", {{"sink", {{"config", {{"uri", "redis://:pw@h"}}}}}}}}, 1),
      recorder.pipelines());
  EXPECT_EQ(report["report_version"], kRunReportVersion);
  EXPECT_EQ(report["riot_version"], "9.9.9");
  EXPECT_EQ(report["started_at"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(report["ended_at"], "2026-01-01T00:00:02.500Z");
  EXPECT_DOUBLE_EQ(report["seconds"].get<double>(), 2.5);
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["options"]["stages"]["sink"]["config"]["uri"], "redis://:<redacted>@h");

  ASSERT_EQ(report["pipelines"].size(), 1u);
  const json& pipeline = report["pipelines"][0];
  EXPECT_EQ(pipeline["name"], "copy");
  EXPECT_EQ(pipeline["outcome"], "keys_failed");
  const json& phases = pipeline["phases"];
  EXPECT_EQ(phases["scan"]["keys"], 1000);
  EXPECT_DOUBLE_EQ(phases["scan"]["keys_per_second"].get<double>(), 2000.0);
  EXPECT_EQ(phases["read"]["keys"], 990);
  EXPECT_EQ(phases["read"]["keys_skipped"], 10);
  EXPECT_DOUBLE_EQ(phases["read"]["bytes_per_second"].get<double>(), 20000.0);
  EXPECT_EQ(phases["write"]["keys"], 985);
  EXPECT_EQ(phases["write"]["keys_failed"], 5);
  EXPECT_DOUBLE_EQ(phases["write"]["keys_per_second"].get<double>(), 492.5);
  EXPECT_TRUE(pipeline["live"].is_null());
  EXPECT_TRUE(pipeline["verification"].is_null());

  const json& cause = pipeline["failures"][0];
  EXPECT_EQ(cause["keys"], 5);
  EXPECT_EQ(cause["more_keys"], 3);
  ASSERT_EQ(cause["first_keys"].size(), 2u);
  EXPECT_EQ(cause["first_keys"][0], json({{"key", "k1"}}));
  EXPECT_EQ(cause["first_keys"][1]["key_base64"], "YmluAA0K/w==");
  EXPECT_EQ(cause["first_keys"][1]["key"], "bin\\x00\\r\\n\\xff");

  ASSERT_EQ(pipeline["passes"].size(), 1u);
  EXPECT_EQ(pipeline["passes"][0]["pass"], "replicate");
}

TEST(RunReport, KeepsEachPassOfAComparisonAndTheVerificationByClass) {
  RunRecorder recorder;
  RunSummary total;
  total.pipeline = "verify";
  for (const char* name : {"compare", "extras", "repair", "recompare"}) {
    FakeRunningPass pass("verify", name);
    RunSummary figures;
    figures.pipeline = "verify";
    figures.keys_read = std::string_view(name) == "repair" ? 7 : 100;
    recorder.pass_started(pass);
    recorder.pass_ended(pass, figures);
  }
  ComparisonSummary& comparison = total.comparison.emplace();
  comparison.counts = {.ok = 95, .missing = 1, .extra = 0, .type = 1, .value = 2, .ttl = 1};
  comparison.before_repair = ComparisonCounts{.ok = 90, .missing = 4, .value = 6};
  comparison.repair = RepairFigures{.keys_copied = 7, .keys_deleted = 1, .compared_again = {}};
  recorder.pipeline_ended(total);

  const json report = run_report(context_with(json::object(), 4), recorder.pipelines());
  const json& pipeline = report["pipelines"][0];
  EXPECT_EQ(pipeline["outcome"], "differences");
  const std::vector<std::string> passes{"compare", "extras", "repair", "recompare"};
  ASSERT_EQ(pipeline["passes"].size(), passes.size());
  for (std::size_t i = 0; i < passes.size(); ++i)
    EXPECT_EQ(pipeline["passes"][i]["pass"], passes[i]);
  EXPECT_EQ(pipeline["passes"][2]["phases"]["read"]["keys"], 7);
  const json& verification = pipeline["verification"];
  EXPECT_EQ(verification["counts"], json({{"ok", 95},
                                          {"missing", 1},
                                          {"extra", 0},
                                          {"type", 1},
                                          {"value", 2},
                                          {"ttl", 1},
                                          {"differences", 5}}));
  EXPECT_EQ(verification["before_repair"]["value"], 6);
  EXPECT_EQ(verification["repair"]["keys_copied"], 7);
}

TEST(RunReport, GivesTheLagOfALiveRunAndTheStateOfAnInterruptedOne) {
  RunRecorder recorder;
  RunSummary live;
  live.pipeline = "follow";
  live.live = true;
  live.interrupted = true;
  live.events_received = 40;
  live.lag =
      LagFigures{.samples = 4, .p50_ms = 2, .p90_ms = 5, .p99_ms = 9, .max_ms = 12, .sum_ms = 20};
  live.fatal_error = "sink: cannot connect to redis://user:hunter2@target:6379";
  recorder.pipeline_ended(live);

  const json report = run_report(context_with(json::object(), 130), recorder.pipelines());
  const json& pipeline = report["pipelines"][0];
  EXPECT_EQ(pipeline["outcome"], "interrupted");
  EXPECT_EQ(pipeline["interrupted"], true);
  EXPECT_EQ(pipeline["live"]["events_received"], 40);
  EXPECT_EQ(pipeline["live"]["lag"], json({{"samples", 4},
                                           {"p50_ms", 2.0},
                                           {"p90_ms", 5.0},
                                           {"p99_ms", 9.0},
                                           {"max_ms", 12.0},
                                           {"mean_ms", 5.0}}));
  EXPECT_EQ(pipeline["fatal_error"], "sink: cannot connect to redis://user:<redacted>@target:6379");
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report.dump().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace riot::host
