#pragma once
// The one path every pipeline takes, whether read from a file (`riot run`)
// or built from options (`riot replicate`): validated as a whole, then run.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/runtime.hpp"
#include "signal_handling.hpp"

namespace riot::app {

// Validates `document`; when it is invalid prints every error on stderr, one
// per line, as "ORIGIN: /pointer: message", and returns nothing.
std::optional<host::PipelineSpec> validate_document(const nlohmann::json& document,
                                                    const std::string& origin,
                                                    const host::PluginRegistry& registry);

// Runs a validated pipeline, cancelled by SIGINT/SIGTERM, with the progress
// display asked for; prints the summary on stderr (unless quiet) and returns
// the exit code.
int run_validated_pipeline(const host::PipelineSpec& pipeline, const GlobalOptions& global,
                           SignalWatcher& signals);

// Interrupted beats a fatal error (the user stopped the run; what broke
// while stopping is a consequence), which beats failed keys.
int exit_code_for(const host::RunSummary& summary);

}  // namespace riot::app
