// What the Prometheus endpoint serves, read as the text format says: counters
// named by convention that add up a pipeline's passes, gauges of the running
// pass, the lag as a summary, no metric per key; and the endpoint itself
// answering over HTTP on a port it picked.
#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>
#include <string>

#include "fake_running_pass.hpp"
#include "riot/host/metrics_endpoint.hpp"

namespace riot::host {
namespace {

std::string scrape(const RunMetrics& metrics) {
  return prometheus::TextSerializer().Serialize(metrics.collect());
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(RunMetrics, CountersAddUpThePassesOfAPipeline) {
  RunMetrics metrics;
  FakeRunningPass compare("verify", "compare");
  compare.metrics_.keys_read = 100;
  compare.metrics_.bytes_read = 4096;
  metrics.pass_started(compare);
  RunSummary summary;
  metrics.pass_ended(compare, summary);

  FakeRunningPass repair("verify", "repair");
  repair.metrics_.keys_read = 7;
  repair.metrics_.keys_written = 7;
  repair.depths_ = {.reader_keys = 3, .sink_batches = 2, .sink_bytes = 512};
  metrics.pass_started(repair);
  const std::string text = scrape(metrics);
  EXPECT_TRUE(has_line(text, "riot_keys_read_total{pipeline=\"verify\"} 107")) << text;
  EXPECT_TRUE(has_line(text, "riot_keys_written_total{pipeline=\"verify\"} 7")) << text;
  EXPECT_TRUE(has_line(text, "riot_bytes_read_total{pipeline=\"verify\"} 4096")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE riot_keys_written_total counter")) << text;
  EXPECT_TRUE(has_line(text, "riot_queue_depth{pipeline=\"verify\",stage=\"reader\"} 3")) << text;
  EXPECT_TRUE(has_line(text, "riot_queue_depth{pipeline=\"verify\",stage=\"sink\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "riot_queue_bytes{pipeline=\"verify\",stage=\"sink\"} 512")) << text;
  EXPECT_TRUE(has_line(text, "riot_pass_running{pipeline=\"verify\",pass=\"repair\"} 1")) << text;

  // Ended: the totals stay, the running pass's gauges go.
  metrics.pass_ended(repair, summary);
  const std::string after = scrape(metrics);
  EXPECT_TRUE(has_line(after, "riot_keys_read_total{pipeline=\"verify\"} 107")) << after;
  EXPECT_EQ(after.find("riot_queue_depth{"), std::string::npos) << after;
  EXPECT_EQ(after.find("riot_pass_running{"), std::string::npos) << after;
}

TEST(RunMetrics, LagIsASummaryInSecondsAndComparisonsCountByClass) {
  RunMetrics metrics;
  FakeRunningPass live("follow", "replicate");
  live.metrics_.events_received = 12;
  live.recent_ =
      LagFigures{.samples = 3, .p50_ms = 2, .p90_ms = 4, .p99_ms = 8, .max_ms = 8, .sum_ms = 14};
  live.overall_ =
      LagFigures{.samples = 10, .p50_ms = 2, .p90_ms = 4, .p99_ms = 8, .max_ms = 9, .sum_ms = 30};
  live.comparison_ = ComparisonCounts{.ok = 5, .missing = 1};
  metrics.pass_started(live);
  const std::string text = scrape(metrics);
  EXPECT_TRUE(has_line(text, "# TYPE riot_replication_lag_seconds summary")) << text;
  EXPECT_TRUE(has_line(text,
                       "riot_replication_lag_seconds{pipeline=\"follow\",quantile=\"0.5\"} "
                       "0.002"))
      << text;
  EXPECT_TRUE(has_line(text, "riot_replication_lag_seconds_count{pipeline=\"follow\"} 10")) << text;
  EXPECT_TRUE(has_line(text, "riot_replication_lag_seconds_sum{pipeline=\"follow\"} 0.03")) << text;
  EXPECT_TRUE(has_line(text, "riot_events_received_total{pipeline=\"follow\"} 12")) << text;
  EXPECT_TRUE(has_line(text, "riot_compared_keys{pipeline=\"follow\",class=\"missing\"} 1"))
      << text;
}

}  // namespace
}  // namespace riot::host
