#include "option_values.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <limits>

#include "usage_error.hpp"

namespace riot::app {

namespace {

// The values of `option` among `choices`, available ones only or all:
// "scan, snapshot".
std::string choice_list(std::string_view option, std::span<const Choice> choices,
                        bool available_only) {
  std::string list;
  for (const Choice& choice : choices) {
    if (choice.option != option || (available_only && choice.runs_as.empty())) continue;
    list += (list.empty() ? "" : ", ") + std::string(choice.value);
  }
  return list;
}

}  // namespace

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool option_given(const po::variables_map& values, const std::string& option) {
  return values.count(option) && !values[option].defaulted();
}

std::int64_t read_bounded(const po::variables_map& values, const std::string& option,
                          std::int64_t minimum, std::int64_t maximum) {
  const auto value = values[option].as<std::int64_t>();
  if (value < minimum || value > maximum) {
    throw CommandLineError("invalid value " + std::to_string(value) + " for --" + option +
                           ": must be between " + std::to_string(minimum) + " and " +
                           std::to_string(maximum));
  }
  return value;
}

std::optional<std::string> read_optional(const po::variables_map& values,
                                         const std::string& option) {
  if (!values.count(option)) return std::nullopt;
  return values[option].as<std::string>();
}

std::int64_t parse_duration_ms(const std::string& text, const std::string& option,
                               DurationUnit bare) {
  struct Unit {
    std::string_view suffix;
    std::int64_t milliseconds;
  };
  constexpr std::array kUnits{Unit{"ms", 1}, Unit{"s", 1000}, Unit{"m", 60 * 1000},
                              Unit{"h", 3600 * 1000}};
  std::int64_t number = 0;
  const char* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, number);
  const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
  std::int64_t scale = bare == DurationUnit::seconds ? 1000 : 1;
  bool known_unit = suffix.empty();
  for (const Unit& unit : kUnits)
    if (suffix == unit.suffix) {
      scale = unit.milliseconds;
      known_unit = true;
    }
  if (error != std::errc() || rest == text.data() || number < 0 || !known_unit ||
      number > std::numeric_limits<std::int64_t>::max() / scale)
    throw CommandLineError("invalid value '" + text + "' for " + option +
                           ": expected a whole number of " +
                           (bare == DurationUnit::seconds ? "seconds" : "milliseconds") +
                           ", or one with a unit: ms, s, m or h (e.g. 500ms, 30s, 5m)");
  return number * scale;
}

std::string read_choice(const po::variables_map& values, std::string_view option,
                        std::span<const Choice> choices) {
  const std::string value = lowercase(values[std::string(option)].as<std::string>());
  const std::string flag = "--" + std::string(option);
  for (const Choice& choice : choices) {
    if (choice.option != option || choice.value != value) continue;
    if (!choice.runs_as.empty()) return std::string(choice.runs_as);
    throw CommandLineError(
        flag + " " + value +
        " is not available yet in this version; available: " + choice_list(option, choices, true));
  }
  throw CommandLineError("invalid value '" + value + "' for " + flag + ": expected " +
                         choice_list(option, choices, false));
}

void require_readable_file(const std::string& option, const std::string& path) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error))
    throw CommandLineError("--" + option + ": '" + path + "' is a directory, not a file");
  if (::access(path.c_str(), R_OK) != 0)
    throw CommandLineError("--" + option + ": cannot read '" + path +
                           "': " + lowercase(std::strerror(errno)));
}

}  // namespace riot::app
