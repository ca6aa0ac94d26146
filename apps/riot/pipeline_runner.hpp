#pragma once
// The one path every pipeline takes, whether read from a file (`riot run`)
// or built from options (`riot replicate`): validated as a whole, then run.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/runtime.hpp"
#include "run_outputs.hpp"
#include "signal_handling.hpp"

namespace riot::app {

// Validates `document` (one pipeline or several); when it is invalid prints
// every error on stderr, one per line, as "ORIGIN: /pointer: message", and
// returns nothing.
std::optional<host::DocumentSpec> validate_document(const nlohmann::json& document,
                                                    const std::string& origin,
                                                    const host::PluginRegistry& registry);

// Runs a validated document's pipelines in order (host::run_document),
// cancelled by SIGINT/SIGTERM, with the progress display asked for; prints
// each pipeline's summary on stderr (unless quiet) and returns the exit code.
// `outputs`, when given, watches the run (metrics) and writes its report.
int run_validated_document(const host::DocumentSpec& document, const GlobalOptions& global,
                           SignalWatcher& signals, RunOutputs* outputs = nullptr);

// The exit code of a run of pipelines: interrupted (130) beats a fatal error
// (3; what broke while stopping is a consequence), which beats a refusal (2),
// failed keys (1) and differences left by a comparison (4).
int exit_code_for(const std::vector<host::RunSummary>& summaries);
int exit_code_for(const host::RunSummary& summary);

}  // namespace riot::app
