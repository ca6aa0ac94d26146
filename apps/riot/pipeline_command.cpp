#include "pipeline_command.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"
#include "json_document.hpp"
#include "pipeline_runner.hpp"
#include "plugin_loading.hpp"
#include "report_syntax.hpp"
#include "run_outputs.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

struct PipelineDocument {
  nlohmann::json json;
  std::string origin;  // the file name, or "<stdin>": what messages start with
};

CommandSyntax pipeline_command_syntax(const std::string& name, std::string description,
                                      std::string epilog) {
  CommandSyntax syntax;
  syntax.name = name;
  syntax.usage = "riot [GLOBAL OPTIONS] " + name + " PIPELINE.json|-";
  syntax.description = std::move(description);
  syntax.arguments.add_options()("pipeline", po::value<std::string>(), "PIPELINE.json or -");
  syntax.positional.add("pipeline", 1);
  syntax.epilog = std::move(epilog);
  return syntax;
}

PipelineDocument load_document(const ParsedCommand& command) {
  if (!command.values.count("pipeline")) {
    throw CommandLineError("missing the pipeline file (PIPELINE.json, or - for standard input)");
  }
  const std::string path = command.values["pipeline"].as<std::string>();
  PipelineDocument document{{}, path == kStandardInputPath ? "<stdin>" : path};
  document.json = parse_json_document(read_document_text(path), document.origin);
  return document;
}

struct CheckedPipeline {
  std::string origin;
  std::optional<host::DocumentSpec> document;  // nothing when invalid (errors printed)
};

CheckedPipeline check_pipeline(const ParsedCommand& command, host::PluginRegistry& registry) {
  PipelineDocument document = load_document(command);
  load_plugins(registry, command.global.plugin_paths);
  return {document.origin, validate_document(document.json, document.origin, registry)};
}

}  // namespace

CommandSyntax run_command_syntax() {
  CommandSyntax syntax = pipeline_command_syntax(
      "run",
      "Runs the pipelines described by a JSON document (a file, or - for standard\n"
      "input): validates it as a whole, then runs its pipelines in order (the next\n"
      "one only if the one before was neither interrupted nor stopped by a fatal\n"
      "error), showing progress and a summary of each.",
      "Examples:\n"
      "  riot run pipeline.json\n"
      "  riot replicate redis://src:6379 redis://dst:6379 --print-pipeline | riot run -\n");
  add_report_options(syntax.options);
  return syntax;
}

CommandSyntax validate_command_syntax() {
  return pipeline_command_syntax(
      "validate",
      "Checks a pipeline document without connecting to anything: its structure,\n"
      "its components and each component's configuration. Prints every error, one\n"
      "per line (FILE: /json/pointer: message), or \"FILE: valid\".",
      "Example:\n"
      "  riot validate pipeline.json\n");
}

int run_command(const ParsedCommand& command, SignalWatcher& signals) {
  const RunOutputOptions output_options = read_run_output_options(command.values);
  host::PluginRegistry registry;
  const CheckedPipeline checked = check_pipeline(command, registry);
  if (!checked.document) return kExitUsage;
  RunOutputs outputs(output_options, "run");
  return run_validated_document(*checked.document, command.global, signals, &outputs);
}

int validate_command(const ParsedCommand& command, SignalWatcher& /*signals*/) {
  host::PluginRegistry registry;
  const CheckedPipeline checked = check_pipeline(command, registry);
  if (!checked.document) return kExitUsage;
  std::cout << checked.origin << ": valid";
  const std::size_t pipelines = checked.document->pipelines.size();
  if (pipelines > 1) std::cout << " (" << pipelines << " pipelines)";
  std::cout << '\n';
  return kExitSuccess;
}

}  // namespace riot::app
