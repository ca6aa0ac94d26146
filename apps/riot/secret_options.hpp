#pragma once
// Where the launcher finds each side's secrets (the AUTH password, the TLS
// key's password), so that none has to be typed on a command line. By
// precedence, for the password of side X (source or target):
//
//   --X-pass PASSWORD  >  the X URI's password  >  --X-pass-file FILE
//     >  $RIOT_X_PASS  >  $REDISCLI_AUTH (as redis-cli reads it)
//
// for the key's password: --X-key-pwd > --X-key-pwd-file > $RIOT_X_KEY_PWD;
// and for the password of the side's sentinels (their own requirepass):
// --X-sentinel-pass > --X-sentinel-pass-file > $RIOT_X_SENTINEL_PASS.
// A password typed on the command line goes into the pipeline document as
// it is; one from a file or the environment goes in as a reference
// ({"$file": ...}, {"$env": ...}; riot/host/secret_references.hpp) that the
// host resolves when it runs the document, so a printed pipeline holds none.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "riot/host/secret_references.hpp"

namespace riot::app {

// One secret as the command line and the environment give it.
struct SecretSetting {
  enum class Origin { command_line, file, environment };
  Origin origin = Origin::command_line;
  // command_line: the secret itself; file: the file's absolute path;
  // environment: the variable's name.
  std::string text;

  // What the pipeline document holds: the secret typed in, or a reference.
  nlohmann::json document_value() const;
  // Whether the secret itself would be written into a printed pipeline.
  bool typed_in() const { return origin == Origin::command_line; }
  // Where it comes from, for messages: "--source-pass", "--source-pass-file
  // /run/secrets/src", "$RIOT_SOURCE_PASS". Never the secret.
  std::string describe(const std::string& option) const;
};

// The environment variables riot reads a side's secrets from.
std::string password_variable(const std::string& side_name);      // "RIOT_SOURCE_PASS"
std::string key_password_variable(const std::string& side_name);  // "RIOT_SOURCE_KEY_PWD"
// "RIOT_SOURCE_SENTINEL_PASS"
std::string sentinel_password_variable(const std::string& side_name);
inline constexpr const char* kRedisCliAuthVariable = "REDISCLI_AUTH";

// Side `side_name`'s password by the precedence above; nothing when the URI
// holds it (it reaches the document with the URI) or when there is none.
// Checks that a file given is readable (CommandLineError naming the option
// and the file) and warns when a file given is left out for a password that
// wins over it. A variable that is set but empty counts as unset.
std::optional<SecretSetting> read_password(
    const po::variables_map& values, const std::string& side_name, bool uri_holds_password,
    const host::EnvironmentLookup& environment = host::process_environment);

// The password of side `side_name`'s TLS key (--X-key) by the precedence
// above; only a key given has one: $RIOT_X_KEY_PWD is then ignored.
std::optional<SecretSetting> read_key_password(
    const po::variables_map& values, const std::string& side_name, bool key_given,
    const host::EnvironmentLookup& environment = host::process_environment);

// The password of side `side_name`'s sentinels by the precedence above. Only
// for a side that uses sentinels; the caller refuses the options otherwise.
std::optional<SecretSetting> read_sentinel_password(
    const po::variables_map& values, const std::string& side_name,
    const host::EnvironmentLookup& environment = host::process_environment);

}  // namespace riot::app
