#pragma once
// What a run gives beyond its summary on stderr: the JSON run report and the
// Prometheus endpoint. Made before the run (the endpoint listens before
// anything connects, so that a taken port stops riot at once), attached to
// the run's options, and finished with the exit code.

#include <chrono>
#include <memory>
#include <string>

#include "metrics_options.hpp"
#include "report_options.hpp"
#include "riot/host/metrics_endpoint.hpp"
#include "riot/host/run_report.hpp"

namespace riot::app {

// Both, as read from the command line.
struct RunOutputOptions {
  ReportOptions report;
  MetricsOptions metrics;
};

// Reads --report, --metrics-port and --metrics-address.
RunOutputOptions read_run_output_options(const po::variables_map& values);

class RunOutputs {
 public:
  // Starts the metrics endpoint when asked for; throws UsageError naming
  // --metrics-port when it cannot listen. `command`: "run" or "replicate".
  RunOutputs(const RunOutputOptions& options, std::string command);

  // Lets the report and the endpoint watch the run.
  void attach(host::RunOptions& run);

  // Writes the report, when asked for, for `document` as it ran and the
  // run's exit code. An unwritable report is an error on stderr and exit
  // code 3 (fatal) unless the run already failed worse; returns the code.
  int finish(const host::DocumentSpec& document, int exit_code);

 private:
  RunOutputOptions options_;
  std::string command_;
  std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
  host::RunRecorder recorder_;
  std::unique_ptr<host::MetricsEndpoint> endpoint_;
};

}  // namespace riot::app
