// What a run prints: the summary at the end and the progress figures along
// the way, in units people read.
#include <gtest/gtest.h>

#include <string>

#include "progress_line.hpp"
#include "riot/host/runtime.hpp"
#include "runtime_units.hpp"

namespace riot::host {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

RunSummary finished_run() {
  RunSummary summary;
  summary.keys_total_estimate = 1500;
  summary.keys_scanned = 1500;
  summary.keys_read = 1498;
  summary.keys_skipped = 2;
  summary.keys_written = 1490;
  summary.keys_deleted = 1;
  summary.keys_expired = 3;
  summary.keys_failed = 7;
  summary.bytes_read = 3 * 1024 * 1024;
  summary.bytes_written = 3 * 1024 * 1024 - 100;
  summary.seconds = 2.0;
  return summary;
}

TEST(RunSummaryFormat, ListsEveryCounterAsAPlainNumber) {
  const std::string text = format_summary(finished_run());
  EXPECT_TRUE(contains(text, "keys scanned:     1500")) << text;
  EXPECT_TRUE(contains(text, "keys read:        1498")) << text;
  EXPECT_TRUE(contains(text, "keys written:     1490")) << text;
  EXPECT_TRUE(contains(text, "keys deleted:     1")) << text;
  EXPECT_TRUE(contains(text, "keys skipped:     2")) << text;
  EXPECT_TRUE(contains(text, "keys expired:     3")) << text;
  EXPECT_TRUE(contains(text, "keys failed:      7")) << text;
  EXPECT_TRUE(contains(text, "bytes read:       3.0 MiB")) << text;
  EXPECT_TRUE(contains(text, "duration:         2.0s")) << text;
  EXPECT_TRUE(contains(text, "rate:             745 keys/s")) << text;
  EXPECT_TRUE(contains(text, "finished, some keys failed")) << text;
}

TEST(RunSummaryFormat, CountsFailedKeysByCauseNamingTheFirstEscaped) {
  RunSummary summary = finished_run();
  summary.failure_causes = {
      {"RESTORE failed: ERR unknown command", 6, {std::string("odd\r\nkey\0", 9), "a", "b"}},
      {"RESTORE failed: OOM command not allowed", 1, {"plain"}}};
  const std::string text = format_summary(summary);
  EXPECT_TRUE(contains(text, "Failed keys, by cause:\n")) << text;
  EXPECT_TRUE(contains(text,
                       "  6 keys (first: \"odd\\r\\nkey\\x00\", \"a\", \"b\"): RESTORE "
                       "failed: ERR unknown command\n"))
      << text;
  EXPECT_TRUE(contains(text, "  1 key (\"plain\"): RESTORE failed: OOM command not allowed\n"))
      << text;
}

TEST(RunSummaryFormat, ShowsTheFatalErrorAndTheInterruption) {
  RunSummary summary = finished_run();
  summary.fatal_error = "sink: target 127.0.0.1:6380: connection refused";
  EXPECT_TRUE(contains(format_summary(summary), "stopped by a fatal error"));
  EXPECT_TRUE(contains(format_summary(summary),
                       "Fatal error: sink: target 127.0.0.1:6380: connection refused"));
  summary.interrupted = true;
  EXPECT_TRUE(contains(format_summary(summary), "Summary: interrupted"));
  EXPECT_TRUE(contains(format_summary(summary), "Interrupted before the end"));
}

TEST(RunSummaryFormat, OmitsAnUnknownEstimate) {
  RunSummary summary = finished_run();
  EXPECT_TRUE(contains(format_summary(summary), "keys estimated:   1500"));
  summary.keys_total_estimate = 0;
  EXPECT_FALSE(contains(format_summary(summary), "estimated"));
}

TEST(HumanUnits, Bytes) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(5ull * 1024 * 1024 * 1024), "5.0 GiB");
}

TEST(HumanUnits, Durations) {
  EXPECT_EQ(format_duration(0.42), "0.4s");
  EXPECT_EQ(format_duration(12.34), "12.3s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3723), "1h02m03s");
  EXPECT_EQ(format_duration(-1), "0.0s");
}

TEST(HumanUnits, CompactRates) {
  EXPECT_EQ(format_compact(850), "850");
  EXPECT_EQ(format_compact(12400), "12.4k");
  EXPECT_EQ(format_compact(250000), "250k");
  EXPECT_EQ(format_compact(1300000), "1.3M");
}

ProgressFigures halfway() {
  ProgressFigures figures;
  figures.snapshot.total = 1000;
  figures.snapshot.scanned = 700;
  figures.snapshot.written = 450;
  figures.snapshot.deleted = 20;
  figures.snapshot.skipped = 20;
  figures.snapshot.failed = 10;
  figures.keys_per_second = 100;
  figures.elapsed_seconds = 5;
  return figures;
}

TEST(ProgressDisplay, DoneCountsEveryKeyThatLeftThePipeline) {
  EXPECT_EQ(halfway().snapshot.done(), 500u);
  EXPECT_DOUBLE_EQ(*halfway().snapshot.fraction(), 0.5);
}

TEST(ProgressDisplay, FractionIsClampedAndUnknownWithoutAnEstimate) {
  ProgressSnapshot snapshot;
  snapshot.written = 1200;
  EXPECT_FALSE(snapshot.fraction());
  snapshot.total = 1000;  // keys created during the run
  EXPECT_DOUBLE_EQ(*snapshot.fraction(), 1.0);
  snapshot.total = 0;
  EXPECT_DOUBLE_EQ(*snapshot.fraction(), 1.0);
}

TEST(ProgressDisplay, BarShowsPercentageCountsRateAndEta) {
  const std::string bar = format_progress_bar(halfway(), 200);
  EXPECT_TRUE(contains(bar, " 50%")) << bar;
  EXPECT_TRUE(contains(bar, "500/1000 keys")) << bar;
  EXPECT_TRUE(contains(bar, "100 keys/s")) << bar;
  EXPECT_TRUE(contains(bar, "ETA 5.0s")) << bar;
  EXPECT_TRUE(contains(bar, "failed 10")) << bar;
}

TEST(ProgressDisplay, BarFitsTheTerminal) {
  EXPECT_LT(format_progress_bar(halfway(), 40).size(), 40u) << "a wrapped line cannot be redrawn";
}

TEST(ProgressDisplay, BarWithoutEstimateShowsCountsOnly) {
  ProgressFigures figures = halfway();
  figures.snapshot.total.reset();
  const std::string bar = format_progress_bar(figures, 200);
  EXPECT_FALSE(contains(bar, "%")) << bar;
  EXPECT_FALSE(contains(bar, "ETA")) << bar;
  EXPECT_TRUE(contains(bar, "500 keys")) << bar;
}

TEST(ProgressDisplay, LogLineHasTheSameFigures) {
  const std::string line = format_progress_log_line(halfway());
  EXPECT_TRUE(contains(line, "50%")) << line;
  EXPECT_TRUE(contains(line, "500/1000 keys")) << line;
  EXPECT_TRUE(contains(line, "written 450")) << line;
  EXPECT_TRUE(contains(line, "failed 10")) << line;
  EXPECT_TRUE(contains(line, "100 keys/s")) << line;
  EXPECT_TRUE(contains(line, "ETA 5.0s")) << line;
}

}  // namespace
}  // namespace riot::host
