#pragma once
// Secrets by reference in a pipeline document. Wherever a string goes, a
// document may hold instead
//
//   {"$env": "NAME"}    the value of the environment variable NAME
//   {"$file": "PATH"}   the first line of the file PATH (its line end stripped)
//
// so that a password need not be written into the document, nor appear on a
// command line. The host resolves the references before anything else looks
// at the document (schema validation included), and keeps where each was so
// that a printed document shows the reference again, never the secret.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "riot/host/validation_error.hpp"

namespace riot::host {

inline constexpr const char* kEnvReferenceKey = "$env";
inline constexpr const char* kFileReferenceKey = "$file";

// One reference as written, and the JSON pointer of the value it stands for.
struct SecretReference {
  std::string pointer;       // "/stages/source/config/password"
  nlohmann::json reference;  // {"$env": "RIOT_SOURCE_PASS"}
};

// The value of an environment variable; nothing when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process's environment (getenv).
std::optional<std::string> process_environment(const std::string& name);

struct SecretResolution {
  nlohmann::json document;                  // every reference replaced by its value
  std::vector<SecretReference> references;  // in document order
  ValidationErrors errors;  // an unset variable, an unreadable file, a malformed reference
  bool ok() const { return errors.empty(); }
};

// Resolves every reference in `document`. The errors name the reference's
// pointer and the variable or the file, never a value; a variable that is
// set but empty is an error, as an unset one is.
SecretResolution resolve_secret_references(
    const nlohmann::json& document, const EnvironmentLookup& environment = process_environment);

// Writes each reference back at its pointer in `document` (a document
// printed from what was resolved); a pointer the document lacks is skipped.
void restore_secret_references(nlohmann::json& document,
                               const std::vector<SecretReference>& references);

// A file that holds a secret cannot be read. The message names the file and
// the reason, never the content.
class SecretFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The secret a file holds: its first line, without the line end ("\n" or
// "\r\n"), as `echo pw > file` and editors write it. Throws SecretFileError,
// also for an empty first line (no secret is not a secret).
std::string read_secret_file(const std::string& path);

}  // namespace riot::host
