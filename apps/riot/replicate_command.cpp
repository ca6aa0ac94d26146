#include "replicate_command.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "exit_codes.hpp"
#include "pipeline_runner.hpp"
#include "plugin_loading.hpp"
#include "replicate_document.hpp"
#include "replicate_options.hpp"
#include "run_outputs.hpp"

namespace riot::app {

int replicate_command(const ParsedCommand& command, SignalWatcher& signals) {
  const ReplicateOptions options = read_replicate_options(command.values);
  const RunOutputOptions output_options = read_run_output_options(command.values);
  host::PluginRegistry registry;
  load_plugins(registry, command.global.plugin_paths);
  const auto document =
      validate_document(replicate_pipeline_document(options), "riot replicate", registry);
  if (!document) return kExitUsage;

  if (options.print_pipeline) {
    // Printed as validated, schema defaults filled in: every setting the run
    // would use is visible and `riot run` reproduces it exactly.
    std::cout << host::to_document(*document).dump(2) << '\n';
    if (options.document_holds_passwords()) {
      spdlog::warn("the printed pipeline holds passwords (riot run needs them): keep it private");
    }
    return kExitSuccess;
  }
  RunOutputs outputs(output_options, "replicate");
  return run_validated_document(*document, command.global, signals, &outputs);
}

}  // namespace riot::app
