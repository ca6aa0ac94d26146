#pragma once
// What the launcher's unit tests share: `riot replicate` arguments read the
// way the launcher reads them, and the usage error they cause.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "replicate_options.hpp"
#include "replicate_syntax.hpp"
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

}  // namespace riot::app
