#pragma once
// Logging to stderr through spdlog, the logger every component receives
// through its host context.

#include "cli_options.hpp"

namespace riot::app {

// Makes a stderr logger at `level` spdlog's default logger.
void configure_logging(LogLevel level);

}  // namespace riot::app
