#pragma once
// Reading one option's value from a parsed command line, with errors that
// name the option: what every option reader of the launcher shares.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cli_options.hpp"

namespace riot::app {

// ASCII lower case: option values are case-insensitive, as RIOT's enums are.
std::string lowercase(std::string text);

// Whether the user gave `option` on the command line (a default is not
// given). An alias counts as its option.
bool option_given(const po::variables_map& values, const std::string& option);

// An integer option's value; throws CommandLineError naming the option and
// the value when it lies outside [minimum, maximum].
std::int64_t read_bounded(const po::variables_map& values, const std::string& option,
                          std::int64_t minimum, std::int64_t maximum);

// A text option without a default: nothing when absent.
std::optional<std::string> read_optional(const po::variables_map& values,
                                         const std::string& option);

// The unit of a duration written without one.
enum class DurationUnit { milliseconds, seconds };

// A duration written as a whole number with an optional unit (ms, s, m, h;
// without one, `bare`): "30", "30s", "500ms", "5m". In milliseconds. Throws
// CommandLineError naming `option` and the value for anything else.
std::int64_t parse_duration_ms(const std::string& text, const std::string& option,
                               DurationUnit bare);
// Throws CommandLineError naming the option and the file when `path` is a
// directory or cannot be read.
void require_readable_file(const std::string& option, const std::string& path);

// One value an option with a fixed set of values accepts. A value of a later
// version is known, so that asking for one gets "not available yet" rather
// than "invalid".
struct Choice {
  std::string_view option;   // "mode"
  std::string_view value;    // as the user may write it: "snapshot"
  std::string_view runs_as;  // its canonical name ("scan"); empty: not available yet
};

// The canonical name of `option`'s value among `choices`, case-insensitive.
// Throws CommandLineError naming the option: for a value not available yet
// (listing those that are) or an unknown one (listing every value).
std::string read_choice(const po::variables_map& values, std::string_view option,
                        std::span<const Choice> choices);

}  // namespace riot::app
