#pragma once
// Logging through spdlog: the default logger (every component's logger
// writes through its sinks), on stderr and, with --log-file, in a file.
//
//   stderr: "[2024-05-01 12:00:00.000] [warning] message", coloured only on
//           a terminal and when NO_COLOR is not set
//   file:   the same lines, never coloured, appended to

#include <memory>
#include <optional>
#include <string>

#include "cli_options.hpp"

namespace spdlog {
class logger;
}

namespace riot::app {

// Makes the default logger, at `level`, writing to stderr and `log_file`.
// Throws UsageError naming --log-file and the file when it cannot be opened.
void configure_logging(LogLevel level, const std::optional<std::string>& log_file);

// The logger of the progress log lines: the same sinks as the default
// logger, so that they carry the same timestamps and reach the log file,
// but shown whatever the level (--progress decides, not --log-level).
// Null before configure_logging.
std::shared_ptr<spdlog::logger> progress_logger();

// Writes `line` as an error line to the log file only, when there is one:
// the outcome stderr shows apart from the log (a fatal error, a usage error).
void log_error_to_file(const std::string& line);

// Whether stderr gets colours: a terminal, and NO_COLOR not set (whatever
// its value, https://no-color.org).
bool stderr_wants_colour();

}  // namespace riot::app
