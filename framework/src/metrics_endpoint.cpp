#include "riot/host/metrics_endpoint.hpp"

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <stdexcept>
#include <utility>

namespace riot::host {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(std::string name, std::string help, MetricType type) {
  MetricFamily out;
  out.name = std::move(name);
  out.help = std::move(help);
  out.type = type;
  return out;
}

ClientMetric labelled(std::vector<ClientMetric::Label> labels) {
  ClientMetric metric;
  metric.label = std::move(labels);
  return metric;
}

// The counters, each with the member of the counts it shows.
template <typename Counts>
struct CounterSpec {
  const char* name;
  const char* help;
  std::uint64_t Counts::*member;
};

// "[::1]:9100" or "127.0.0.1:9100": civetweb's listening_ports syntax.
std::string listening_port(const std::string& address, std::uint16_t port) {
  const bool ipv6 = address.find(':') != std::string::npos;
  return (ipv6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace

void RunMetrics::Counts::add(const Metrics& metrics) {
  keys_scanned += metrics.keys_scanned.load();
  keys_read += metrics.keys_read.load();
  keys_written += metrics.keys_written.load();
  keys_deleted += metrics.keys_deleted.load();
  keys_skipped += metrics.keys_skipped.load();
  keys_expired += metrics.keys_expired.load();
  keys_failed += metrics.keys_failed.load();
  bytes_read += metrics.bytes_read.load();
  bytes_written += metrics.bytes_written.load();
  events_received += metrics.events_received.load();
  events_coalesced += metrics.events_coalesced.load();
  events_overflowed += metrics.events_overflowed.load();
  events_applied += metrics.events_applied.load();
  recoveries += metrics.recoveries.load();
}

void RunMetrics::pass_started(const RunningPass& pass) {
  const std::lock_guard lock(mutex_);
  if (pipelines_.try_emplace(pass.pipeline()).second) order_.push_back(pass.pipeline());
  running_ = &pass;
}

void RunMetrics::pass_ended(const RunningPass& pass, const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  PipelineState& state = pipelines_[pass.pipeline()];
  state.finished.add(pass.metrics());
  if (summary.lag) {
    state.lag_samples += summary.lag->samples;
    state.lag_sum_ms += summary.lag->sum_ms;
  }
  if (std::optional<ComparisonCounts> counts = pass.comparison()) state.comparison = counts;
  if (running_ == &pass) running_ = nullptr;
}

std::vector<MetricFamily> RunMetrics::collect() const {
  using C = Counts;
  static constexpr CounterSpec<C> kCounters[] = {
      {"riot_keys_scanned_total", "Keys the walks of the source produced (SCAN).",
       &C::keys_scanned},
      {"riot_keys_read_total", "Records read from the source.", &C::keys_read},
      {"riot_keys_written_total", "Records applied to the target.", &C::keys_written},
      {"riot_keys_deleted_total", "Deletes applied to the target.", &C::keys_deleted},
      {"riot_keys_skipped_total", "Keys gone from the source before they could be read.",
       &C::keys_skipped},
      {"riot_keys_expired_total", "Keys whose TTL ran out before they were written.",
       &C::keys_expired},
      {"riot_keys_failed_total", "Keys the target refused (see the summary or the report).",
       &C::keys_failed},
      {"riot_bytes_read_total", "Payload bytes read from the source.", &C::bytes_read},
      {"riot_bytes_written_total", "Payload bytes written to the target.", &C::bytes_written},
      {"riot_events_received_total", "Keyspace notifications taken in.", &C::events_received},
      {"riot_events_coalesced_total", "Notifications merged into a read already waiting.",
       &C::events_coalesced},
      {"riot_events_overflowed_total",
       "Notifications not queued (event queue full); made up by a reconciliation pass.",
       &C::events_overflowed},
      {"riot_events_applied_total", "Writes of notified changes the target acknowledged.",
       &C::events_applied},
      {"riot_reconciliations_total", "Reconciliation passes requested.", &C::recoveries},
  };

  const std::lock_guard lock(mutex_);
  std::vector<MetricFamily> families;
  for (const CounterSpec<C>& spec : kCounters)
    families.push_back(family(spec.name, spec.help, MetricType::Counter));
  MetricFamily depth = family("riot_queue_depth",
                              "Items waiting in front of a stage: keys for the reader, record "
                              "batches for the sink (or comparator).",
                              MetricType::Gauge);
  MetricFamily queue_bytes = family(
      "riot_queue_bytes", "Bytes of the records waiting in front of the sink.", MetricType::Gauge);
  MetricFamily compared =
      family("riot_compared_keys", "Keys compared so far, by outcome class (ok, missing, ...).",
             MetricType::Gauge);
  MetricFamily lag = family("riot_replication_lag_seconds",
                            "From a keyspace notification to the target's acknowledgement: "
                            "quantiles over the last 10 seconds, count and sum over the run.",
                            MetricType::Summary);
  MetricFamily running =
      family("riot_pass_running", "1 for the pass that runs now, labelled by pipeline and pass.",
             MetricType::Gauge);

  for (const std::string& name : order_) {
    const PipelineState& state = pipelines_.at(name);
    Counts counts = state.finished;
    std::uint64_t lag_samples = state.lag_samples;
    double lag_sum_ms = state.lag_sum_ms;
    std::optional<ComparisonCounts> comparison = state.comparison;
    std::optional<LagFigures> recent;
    const bool runs_now = running_ != nullptr && running_->pipeline() == name;
    if (runs_now) {
      counts.add(running_->metrics());
      if (const std::optional<LagFigures> overall = running_->overall_lag()) {
        lag_samples += overall->samples;
        lag_sum_ms += overall->sum_ms;
      }
      recent = running_->recent_lag();
      if (std::optional<ComparisonCounts> now = running_->comparison()) comparison = now;
      const QueueDepths depths = running_->queue_depths();
      ClientMetric reader = labelled({{"pipeline", name}, {"stage", "reader"}});
      reader.gauge.value = static_cast<double>(depths.reader_keys);
      depth.metric.push_back(std::move(reader));
      ClientMetric sink = labelled({{"pipeline", name}, {"stage", "sink"}});
      sink.gauge.value = static_cast<double>(depths.sink_batches);
      depth.metric.push_back(std::move(sink));
      ClientMetric bytes = labelled({{"pipeline", name}, {"stage", "sink"}});
      bytes.gauge.value = static_cast<double>(depths.sink_bytes);
      queue_bytes.metric.push_back(std::move(bytes));
      ClientMetric pass = labelled({{"pipeline", name}, {"pass", std::string(running_->pass())}});
      pass.gauge.value = 1;
      running.metric.push_back(std::move(pass));
    }
    for (std::size_t i = 0; i < std::size(kCounters); ++i) {
      ClientMetric metric = labelled({{"pipeline", name}});
      metric.counter.value = static_cast<double>(counts.*(kCounters[i].member));
      families[i].metric.push_back(std::move(metric));
    }
    if (comparison) {
      for (const auto& [label, value] :
           {std::pair{"ok", comparison->ok}, std::pair{"missing", comparison->missing},
            std::pair{"extra", comparison->extra}, std::pair{"type", comparison->type},
            std::pair{"value", comparison->value}, std::pair{"ttl", comparison->ttl}}) {
        ClientMetric metric = labelled({{"pipeline", name}, {"class", label}});
        metric.gauge.value = static_cast<double>(value);
        compared.metric.push_back(std::move(metric));
      }
    }
    if (lag_samples > 0 || recent) {
      ClientMetric metric = labelled({{"pipeline", name}});
      metric.summary.sample_count = lag_samples;
      metric.summary.sample_sum = lag_sum_ms / 1000.0;
      if (recent) {
        metric.summary.quantile = {{0.5, recent->p50_ms / 1000.0},
                                   {0.9, recent->p90_ms / 1000.0},
                                   {0.99, recent->p99_ms / 1000.0}};
      }
      lag.metric.push_back(std::move(metric));
    }
  }
  for (MetricFamily* gauge : {&depth, &queue_bytes, &compared, &lag, &running}) {
    if (!gauge->metric.empty()) families.push_back(std::move(*gauge));
  }
  return families;
}

// prometheus-cpp holds its collectables by weak pointer.
class MetricsEndpoint::Collector final : public prometheus::Collectable {
 public:
  explicit Collector(std::shared_ptr<const RunMetrics> metrics) : metrics_(std::move(metrics)) {}
  std::vector<MetricFamily> Collect() const override { return metrics_->collect(); }

 private:
  std::shared_ptr<const RunMetrics> metrics_;
};

MetricsEndpoint::MetricsEndpoint(const std::string& address, std::uint16_t port)
    : metrics_(std::make_shared<RunMetrics>()), collector_(std::make_shared<Collector>(metrics_)) {
  const std::string where = listening_port(address, port);
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(where, 2);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot serve metrics on " + where + ": " + error.what());
  }
  const std::vector<int> ports = exposer_->GetListeningPorts();
  if (ports.empty()) throw std::runtime_error("cannot serve metrics on " + where);
  port_ = static_cast<std::uint16_t>(ports.front());
  exposer_->RegisterCollectable(collector_);
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace riot::host
