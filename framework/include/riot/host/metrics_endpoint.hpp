#pragma once
// The Prometheus endpoint (`--metrics-port`, docs/metrics.md): an HTTP
// server (prometheus-cpp) on its own threads that answers GET /metrics with
// the run's counters and gauges, read from the running pass at each scrape.
// Counters add up every pass of a pipeline, so they only ever grow; a
// pipeline's counters stay after it ended, until the process exits.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "riot/host/run_observer.hpp"
#include "riot/host/runtime.hpp"

namespace prometheus {
class Exposer;
struct MetricFamily;
}  // namespace prometheus

namespace riot::host {

// What the endpoint serves, as Prometheus metric families: the pipelines'
// totals plus the running pass. Thread-safe: passes start and end on the
// run's thread, scrapes come on the server's.
class RunMetrics final : public RunObserver {
 public:
  void pass_started(const RunningPass& pass) override;
  void pass_ended(const RunningPass& pass, const RunSummary& summary) override;
  void pipeline_ended(const RunSummary& summary) override { (void)summary; }

  std::vector<prometheus::MetricFamily> collect() const;

 private:
  // Plain copies of riot::Metrics (which holds atomics).
  struct Counts {
    std::uint64_t keys_scanned = 0, keys_read = 0, keys_written = 0, keys_deleted = 0,
                  keys_skipped = 0, keys_expired = 0, keys_failed = 0, bytes_read = 0,
                  bytes_written = 0, events_received = 0, events_coalesced = 0,
                  events_overflowed = 0, events_applied = 0, recoveries = 0;
    void add(const Metrics& metrics);
  };
  struct PipelineState {
    Counts finished;  // the passes that ended
    std::uint64_t lag_samples = 0;
    double lag_sum_ms = 0;
    std::optional<ComparisonCounts> comparison;
  };

  mutable std::mutex mutex_;
  std::vector<std::string> order_;  // pipelines in the order they started
  std::map<std::string, PipelineState> pipelines_;
  const RunningPass* running_ = nullptr;
};

// The HTTP server. Listens from construction to destruction.
class MetricsEndpoint final : public RunObserver {
 public:
  // `address`: an IPv4 or IPv6 address (or a host name) to bind; `port` 0
  // picks a free one. Throws std::runtime_error naming address and port
  // when it cannot listen.
  MetricsEndpoint(const std::string& address, std::uint16_t port);
  ~MetricsEndpoint() override;

  // The port it listens on (the one picked, for port 0).
  std::uint16_t port() const { return port_; }

  void pass_started(const RunningPass& pass) override { metrics_->pass_started(pass); }
  void pass_ended(const RunningPass& pass, const RunSummary& summary) override {
    metrics_->pass_ended(pass, summary);
  }
  void pipeline_ended(const RunSummary& summary) override { metrics_->pipeline_ended(summary); }

 private:
  class Collector;
  std::shared_ptr<RunMetrics> metrics_;
  std::shared_ptr<Collector> collector_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::uint16_t port_ = 0;
};

}  // namespace riot::host
