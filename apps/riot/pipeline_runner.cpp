#include "pipeline_runner.hpp"

#include <algorithm>
#include <iostream>

#include "exit_codes.hpp"
#include "logging.hpp"

namespace riot::app {

namespace {

// Higher wins: 130 interrupted > 3 fatal > 2 usage > 1 keys failed > 4
// differences > 0.
int precedence(int code) {
  switch (code) {
    case kExitInterrupted:
      return 5;
    case kExitFatal:
      return 4;
    case kExitUsage:
      return 3;
    case kExitKeysFailed:
      return 2;
    case kExitDifferences:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

std::optional<host::DocumentSpec> validate_document(const nlohmann::json& document,
                                                    const std::string& origin,
                                                    const host::PluginRegistry& registry) {
  host::DocumentValidation validation = host::validate_document(document, registry);
  if (validation.ok()) return std::move(validation.document);
  for (const host::ValidationError& error : validation.errors) {
    const std::string line = origin + ": " + error.to_string();
    std::cerr << line << '\n';
    log_error_to_file(line);
  }
  return std::nullopt;
}

int run_validated_document(const host::DocumentSpec& document, const GlobalOptions& global,
                           SignalWatcher& signals, RunOutputs* outputs) {
  host::RunOptions options;
  options.progress = global.progress;
  options.progress_log = progress_logger();
  if (outputs != nullptr) outputs->attach(options);
  std::vector<host::RunSummary> summaries;
  {
    SignalWatcher::RunScope scope(signals);
    summaries = host::run_document(document, options, signals.run_cancellation());
  }
  const bool several = document.pipelines.size() > 1;
  for (const host::RunSummary& summary : summaries) {
    const std::optional<std::string> stop = host::format_stop_line(summary);
    if (!global.quiet) {
      if (several) std::cerr << "Pipeline " << summary.pipeline << ":\n";
      std::cerr << host::format_summary(summary);  // ends with `stop`
    } else if (stop) {
      std::cerr << *stop << '\n';  // the summary's line alone: one format at every level
    }
    if (stop) log_error_to_file(*stop);
  }
  if (several && summaries.size() < document.pipelines.size() && !global.quiet) {
    std::cerr << "Not run: pipelines after '" << summaries.back().pipeline
              << "' (it did not finish)\n";
  }
  const int exit_code = exit_code_for(summaries);
  return outputs != nullptr ? outputs->finish(document, exit_code) : exit_code;
}

int exit_code_for(const std::vector<host::RunSummary>& summaries) {
  int code = kExitSuccess;
  for (const host::RunSummary& summary : summaries) {
    const int next = exit_code_for(summary);
    if (precedence(next) > precedence(code)) code = next;
  }
  return code;
}

int exit_code_for(const host::RunSummary& summary) {
  if (summary.interrupted) return kExitInterrupted;
  if (summary.fatal_error) return kExitFatal;
  if (summary.refused) return kExitUsage;
  if (summary.keys_failed > 0) return kExitKeysFailed;
  if (summary.comparison && summary.comparison->counts.differences() > 0) return kExitDifferences;
  return kExitSuccess;
}

}  // namespace riot::app
