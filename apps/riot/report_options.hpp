#pragma once
// `--report FILE`: read and checked before anything connects.

#include <optional>
#include <string>

#include "cli_options.hpp"

namespace riot::app {

struct ReportOptions {
  std::optional<std::string> report_path;  // no report when absent
};

// Throws CommandLineError naming --report when the file cannot be written
// (a missing directory, no permission, a directory).
ReportOptions read_report_options(const po::variables_map& values);

}  // namespace riot::app
