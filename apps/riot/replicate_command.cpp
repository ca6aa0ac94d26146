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
  require_readable_tls_files(options.source, "source");
  if (!options.dry_run) require_readable_tls_files(options.target, "target");
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
      spdlog::warn(
          "the printed pipeline holds a password given on the command line or in a URI (riot "
          "run needs it): keep it private, or give passwords by file or environment (--source-"
          "pass-file, $RIOT_SOURCE_PASS, ...), which it holds as references");
    }
    return kExitSuccess;
  }
  if (options.would_verify_after_copy() && !options.verifies_after_copy())
    spdlog::warn(
        "no verification after the copy: --no-replace leaves the keys the target held as they "
        "were, and a comparison would report each of them (run --mode compare to list them)");
  RunOutputs outputs(output_options, "replicate");
  return run_validated_document(*document, command.global, signals, &outputs);
}

}  // namespace riot::app
