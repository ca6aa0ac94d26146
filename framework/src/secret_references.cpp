#include "riot/host/secret_references.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "schema_json_pointer.hpp"

namespace riot::host {

namespace {

using nlohmann::json;

// Whether `value` is meant as a reference: an object with a key that starts
// with '$', which no configuration key does.
bool looks_like_reference(const json& value) {
  if (!value.is_object()) return false;
  for (const auto& [key, member] : value.items()) {
    (void)member;
    if (!key.empty() && key.front() == '$') return true;
  }
  return false;
}

class Resolver {
 public:
  Resolver(const EnvironmentLookup& environment, SecretResolution& result)
      : environment_(environment), result_(result) {}

  // Replaces the references within `value`, which sits at `pointer`.
  void resolve(json& value, const std::string& pointer) {
    if (looks_like_reference(value)) {
      resolve_reference(value, pointer);
    } else if (value.is_object()) {
      for (auto& [key, member] : value.items()) resolve(member, child_pointer(pointer, key));
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) resolve(value[i], child_pointer(pointer, i));
    }
  }

 private:
  void resolve_reference(json& value, const std::string& pointer) {
    const auto name = reference_target(value, pointer);
    if (!name) return;
    const bool from_environment = value.contains(kEnvReferenceKey);
    std::optional<std::string> secret =
        from_environment ? environment_value(*name, pointer) : file_value(*name, pointer);
    if (!secret) return;
    result_.references.push_back({pointer, value});
    value = std::move(*secret);
  }

  // The variable's name or the file's path; nothing (an error recorded) for
  // a malformed reference.
  std::optional<std::string> reference_target(const json& value, const std::string& pointer) {
    const bool single_known_key = value.size() == 1 && (value.contains(kEnvReferenceKey) ||
                                                        value.contains(kFileReferenceKey));
    if (!single_known_key) {
      fail(pointer, std::string("a secret reference is an object with one key, {\"") +
                        kEnvReferenceKey + "\": \"VARIABLE\"} or {\"" + kFileReferenceKey +
                        "\": \"PATH\"}; found keys " + key_list(value));
      return std::nullopt;
    }
    const std::string key = value.begin().key();
    const json& target = value.begin().value();
    if (!target.is_string() || target.get<std::string>().empty()) {
      fail(pointer, "\"" + key + "\" must name " +
                        (key == kEnvReferenceKey ? "an environment variable" : "a file") +
                        " (a non-empty string), not " + std::string(target.type_name()));
      return std::nullopt;
    }
    return target.get<std::string>();
  }

  std::optional<std::string> environment_value(const std::string& name,
                                               const std::string& pointer) {
    std::optional<std::string> secret = environment_(name);
    if (!secret) {
      fail(pointer, "environment variable " + name + " is not set");
    } else if (secret->empty()) {
      fail(pointer, "environment variable " + name + " is empty");
      return std::nullopt;
    }
    return secret;
  }

  std::optional<std::string> file_value(const std::string& path, const std::string& pointer) {
    try {
      return read_secret_file(path);
    } catch (const SecretFileError& error) {
      fail(pointer, error.what());
      return std::nullopt;
    }
  }

  static std::string key_list(const json& value) {
    std::string keys;
    for (const auto& [key, member] : value.items()) {
      (void)member;
      keys += (keys.empty() ? "'" : ", '") + key + "'";
    }
    return keys;
  }

  void fail(const std::string& pointer, std::string message) {
    result_.errors.push_back({pointer, std::move(message)});
  }

  const EnvironmentLookup& environment_;
  SecretResolution& result_;
};

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

SecretResolution resolve_secret_references(const json& document,
                                           const EnvironmentLookup& environment) {
  SecretResolution result;
  result.document = document;
  Resolver(environment, result).resolve(result.document, "");
  return result;
}

void restore_secret_references(json& document, const std::vector<SecretReference>& references) {
  for (const SecretReference& reference : references) {
    const json::json_pointer pointer(reference.pointer);
    if (document.contains(pointer)) document[pointer] = reference.reference;
  }
}

std::string read_secret_file(const std::string& path) {
  const auto fail = [&path](std::string reason) {
    // strerror's "No such file" reads "no such file" within a sentence.
    if (!reason.empty()) reason.front() = static_cast<char>(std::tolower(reason.front()));
    return SecretFileError("cannot read the secret file '" + path + "': " + reason);
  };
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error))
    throw fail("it is a directory, not a file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw fail(std::strerror(errno));
  std::string line;
  std::getline(file, line);
  if (file.bad()) throw fail(std::strerror(errno));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw fail("its first line is empty");
  return line;
}

}  // namespace riot::host
