#include "report_syntax.hpp"

#include "metrics_options.hpp"

namespace riot::app {

void add_report_options(po::options_description& options) {
  po::options_description group("Reports and metrics (see docs/report.md and docs/metrics.md)");
  auto add = group.add_options();
  add("report", po::value<std::string>()->value_name("FILE"),
      "Write a JSON run report to FILE at the end of the run, also when it fails or is "
      "interrupted: the options in effect (secrets replaced), counts, bytes, durations and rates "
      "per pipeline and pass, failed keys, verification results, lag percentiles, the exit "
      "code (default: none).");
  add("metrics-port", po::value<std::int64_t>()->value_name("PORT"),
      "Serve the run's counters and gauges for Prometheus on http://ADDR:PORT/metrics while "
      "riot runs; 0 picks a free port and logs it (default: no endpoint).");
  add("metrics-address",
      po::value<std::string>()->value_name("ADDR")->default_value(kDefaultMetricsAddress),
      "The address the metrics endpoint listens on (an IPv4 or IPv6 address; 0.0.0.0 for every "
      "interface).");
  options.add(group);
}

}  // namespace riot::app
