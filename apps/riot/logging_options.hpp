#pragma once
// The logging part of the global options: the level, from --log-level or
// the -q, -i, -d switches, and the log file.

#include <boost/program_options/variables_map.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace riot::app {

enum class LogLevel { trace, debug, info, warn, error, off };

// "trace" ... "off", case-insensitive ("warning" too, as spdlog prints it).
std::optional<LogLevel> parse_log_level(std::string_view text);

// The level asked for: --log-level, or -d, -i, -q (-d wins over -i), or
// warn. Throws CommandLineError naming the options for --log-level with any
// of the switches, or -q with -i or -d, and naming the value of an unknown
// level.
LogLevel read_log_level(const boost::program_options::variables_map& values);

// --log-file made absolute; nothing when not given. Throws CommandLineError
// for an empty value.
std::optional<std::string> read_log_file(const boost::program_options::variables_map& values);

}  // namespace riot::app
