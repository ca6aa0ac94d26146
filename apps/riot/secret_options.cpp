#include "secret_options.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

std::string uppercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// A secret file option, made absolute (a printed pipeline runs from any
// directory) and read once now, so that a missing or unreadable file is a
// usage error naming the option, before anything loads or connects.
std::optional<SecretSetting> read_file_setting(const po::variables_map& values,
                                               const std::string& option) {
  const std::optional<std::string> path = read_optional(values, option);
  if (!path) return std::nullopt;
  if (path->empty())
    throw CommandLineError("invalid value '' for --" + option + ": expected a file");
  const std::string absolute = std::filesystem::absolute(*path).lexically_normal().string();
  try {
    (void)host::read_secret_file(absolute);
  } catch (const host::SecretFileError& error) {
    throw CommandLineError("--" + option + ": " + error.what());
  }
  return SecretSetting{SecretSetting::Origin::file, absolute};
}

// The first of `variables` that is set and not empty, as a reference.
std::optional<SecretSetting> environment_setting(std::initializer_list<std::string> variables,
                                                 const host::EnvironmentLookup& environment) {
  for (const std::string& variable : variables) {
    const std::optional<std::string> value = environment(variable);
    if (value && !value->empty())
      return SecretSetting{SecretSetting::Origin::environment, variable};
  }
  return std::nullopt;
}

// A file given but outranked: said, since the user expects it to matter.
void warn_file_left_out(const std::optional<SecretSetting>& file, const std::string& option,
                        const std::string& winner) {
  if (file) spdlog::warn("--{} is not read: the password given by {} wins over it", option, winner);
}

// --OPTION as typed on the command line, when given and not empty; a file
// given with it (--OPTION-file) is then left out, and said to be.
std::optional<SecretSetting> typed_setting(const po::variables_map& values,
                                           const std::string& option,
                                           const std::optional<SecretSetting>& file) {
  const std::optional<std::string> typed = read_optional(values, option);
  if (!typed || typed->empty()) return std::nullopt;
  warn_file_left_out(file, option + "-file", "--" + option);
  return SecretSetting{SecretSetting::Origin::command_line, *typed};
}

}  // namespace

nlohmann::json SecretSetting::document_value() const {
  switch (origin) {
    case Origin::file:
      return {{host::kFileReferenceKey, text}};
    case Origin::environment:
      return {{host::kEnvReferenceKey, text}};
    case Origin::command_line:
      break;
  }
  return text;
}

std::string SecretSetting::describe(const std::string& option) const {
  switch (origin) {
    case Origin::file:
      return "--" + option + "-file " + text;
    case Origin::environment:
      return "$" + text;
    case Origin::command_line:
      break;
  }
  return "--" + option;
}

std::string password_variable(const std::string& side_name) {
  return "RIOT_" + uppercase(side_name) + "_PASS";
}

std::string key_password_variable(const std::string& side_name) {
  return "RIOT_" + uppercase(side_name) + "_KEY_PWD";
}

std::string sentinel_password_variable(const std::string& side_name) {
  return "RIOT_" + uppercase(side_name) + "_SENTINEL_PASS";
}

std::optional<SecretSetting> read_password(const po::variables_map& values,
                                           const std::string& side_name, bool uri_holds_password,
                                           const host::EnvironmentLookup& environment) {
  const std::string option = side_name + "-pass";
  const std::optional<SecretSetting> file = read_file_setting(values, option + "-file");
  if (auto typed = typed_setting(values, option, file)) return typed;
  if (uri_holds_password) {
    warn_file_left_out(file, option + "-file", "the " + side_name + " URI");
    return std::nullopt;
  }
  if (file) return file;
  return environment_setting({password_variable(side_name), kRedisCliAuthVariable}, environment);
}

std::optional<SecretSetting> read_key_password(const po::variables_map& values,
                                               const std::string& side_name, bool key_given,
                                               const host::EnvironmentLookup& environment) {
  const std::string option = side_name + "-key-pwd";
  const std::optional<SecretSetting> file = read_file_setting(values, option + "-file");
  const std::optional<std::string> typed = read_optional(values, option);
  if ((typed || file) && !key_given)
    throw CommandLineError("--" + (typed ? option : option + "-file") + " needs --" + side_name +
                           "-key");
  if (!key_given) return std::nullopt;
  if (typed) {
    warn_file_left_out(file, option + "-file", "--" + option);
    return SecretSetting{SecretSetting::Origin::command_line, *typed};
  }
  if (file) return file;
  return environment_setting({key_password_variable(side_name)}, environment);
}

std::optional<SecretSetting> read_sentinel_password(const po::variables_map& values,
                                                    const std::string& side_name,
                                                    const host::EnvironmentLookup& environment) {
  const std::string option = side_name + "-sentinel-pass";
  const std::optional<SecretSetting> file = read_file_setting(values, option + "-file");
  if (auto typed = typed_setting(values, option, file)) return typed;
  if (file) return file;
  return environment_setting({sentinel_password_variable(side_name)}, environment);
}

}  // namespace riot::app
