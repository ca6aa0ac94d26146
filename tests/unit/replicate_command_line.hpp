#pragma once
// What the launcher's unit tests share: `riot replicate` arguments read the
// way the launcher reads them, and the usage error they cause.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "riot/host/plugin_registry.hpp"
#include "usage_error.hpp"

namespace riot::app {

inline ReplicateOptions replicate_options_for(const std::vector<std::string>& arguments) {
  return read_replicate_options(parse_command(replicate_command_syntax(), arguments).values);
}

// The message of the CommandLineError the arguments cause ("" if none).
inline std::string replicate_error_for(const std::vector<std::string>& arguments) {
  try {
    replicate_options_for(arguments);
  } catch (const CommandLineError& error) {
    return error.what();
  }
  return "";
}

// The configuration of a stage of a single-pipeline document.
inline const nlohmann::json& stage_config(const nlohmann::json& document, const char* stage) {
  return document["stages"][stage]["config"];
}

// Checks that `document` satisfies the bundled plugins' schemas and that
// validation keeps every setting the launcher gave the source, reader and
// sink.
inline void expect_valid_for_bundled_plugins(const nlohmann::json& document) {
  host::PluginRegistry registry;
  registry.load_directory(RIOT_PLUGIN_DIR);
  const host::PipelineValidation validation = host::validate_pipeline(document, registry);
  ASSERT_TRUE(validation.ok()) << validation.errors.front().to_string() << "\n" << document.dump(2);
  const nlohmann::json validated = host::to_document(validation.pipeline);
  for (const char* stage : {"source", "reader", "sink"})
    for (const auto& [key, value] : stage_config(document, stage).items())
      EXPECT_EQ(stage_config(validated, stage)[key], value) << stage << "." << key;
}

}  // namespace riot::app
