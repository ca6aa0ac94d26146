#include "run_outputs.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "exit_codes.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "usage_error.hpp"

#ifndef RIOT_VERSION
#define RIOT_VERSION "unknown"
#endif

namespace riot::app {

RunOutputOptions read_run_output_options(const po::variables_map& values) {
  return {read_report_options(values), read_metrics_options(values)};
}

RunOutputs::RunOutputs(const RunOutputOptions& options, std::string command)
    : options_(options), command_(std::move(command)) {
  const MetricsOptions& metrics = options_.metrics;
  if (!metrics.port) return;
  try {
    endpoint_ = std::make_unique<host::MetricsEndpoint>(metrics.address, *metrics.port);
  } catch (const std::exception& error) {
    throw UsageError("--metrics-port " + std::to_string(*metrics.port) + ": " + error.what());
  }
  const std::string address = metrics.address.find(':') == std::string::npos
                                  ? metrics.address
                                  : "[" + metrics.address + "]";
  // A port riot picked must be seen to be used: said at the default level.
  spdlog::log(*metrics.port == 0 ? spdlog::level::warn : spdlog::level::info,
              "metrics: serving http://{}:{}/metrics", address, endpoint_->port());
}

void RunOutputs::attach(host::RunOptions& run) {
  if (options_.report.report_path) run.observers.push_back(&recorder_);
  if (endpoint_) run.observers.push_back(endpoint_.get());
}

int RunOutputs::finish(const host::DocumentSpec& document, int exit_code) {
  if (!options_.report.report_path) return exit_code;
  host::RunReportContext context;
  context.riot_version = RIOT_VERSION;
  context.command = command_;
  context.started = started_;
  context.ended = std::chrono::system_clock::now();
  context.document = host::to_document(document);
  context.exit_code = exit_code;
  try {
    host::write_run_report(*options_.report.report_path,
                           host::run_report(context, recorder_.pipelines()));
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return exit_code == kExitSuccess || exit_code == kExitKeysFailed ||
                   exit_code == kExitDifferences
               ? kExitFatal
               : exit_code;
  }
  return exit_code;
}

}  // namespace riot::app
