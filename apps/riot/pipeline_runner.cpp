#include "pipeline_runner.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "exit_codes.hpp"

namespace riot::app {

std::optional<host::PipelineSpec> validate_document(const nlohmann::json& document,
                                                    const std::string& origin,
                                                    const host::PluginRegistry& registry) {
  host::PipelineValidation validation = host::validate_pipeline(document, registry);
  if (validation.ok()) return std::move(validation.pipeline);
  for (const host::ValidationError& error : validation.errors) {
    std::cerr << origin << ": " << error.to_string() << '\n';
  }
  return std::nullopt;
}

int run_validated_pipeline(const host::PipelineSpec& pipeline, const GlobalOptions& global,
                           SignalWatcher& signals) {
  host::RunOptions options;
  options.progress = global.progress;
  host::RunSummary summary;
  {
    SignalWatcher::RunScope scope(signals);
    summary = host::run_pipeline(pipeline, options, signals.run_cancellation());
  }
  if (!global.quiet) {
    std::cerr << host::format_summary(summary);
  } else if (summary.refused) {
    spdlog::error("{}", *summary.refused);  // the summary would have said it
  } else if (summary.fatal_error) {
    spdlog::error("{}", *summary.fatal_error);
  }
  return exit_code_for(summary);
}

int exit_code_for(const host::RunSummary& summary) {
  if (summary.refused) return kExitUsage;
  if (summary.interrupted) return kExitInterrupted;
  if (summary.fatal_error) return kExitFatal;
  if (summary.keys_failed > 0) return kExitKeysFailed;
  return kExitSuccess;
}

}  // namespace riot::app
