#pragma once
// One side's Redis Sentinel options as read from the command line, and the
// connection settings they become in the pipeline document
// (sentinel_master, sentinel_user, sentinel_password).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli_options.hpp"
#include "riot/host/secret_references.hpp"
#include "secret_options.hpp"

namespace riot::app {

struct SentinelSide {
  std::optional<std::string> master;  // --X-sentinel-master
  std::optional<std::string> user;    // --X-sentinel-user
  // --X-sentinel-pass, --X-sentinel-pass-file or $RIOT_X_SENTINEL_PASS.
  std::optional<SecretSetting> password;

  // Whether a password typed on the command line goes into the document.
  bool holds_password() const { return password && password->typed_in(); }
};

// Reads `side_name`'s options (--source-sentinel-master...) for the side's
// `uri` (already parsed once). Throws CommandLineError naming the option: an
// empty master name, a socket URI, or sentinel credentials without sentinels
// (neither a sentinel URI nor --X-sentinel-master); and for a sentinel URI
// that names no master, naming the URI with its password masked.
// $RIOT_X_SENTINEL_PASS is read only for a side that uses sentinels.
SentinelSide read_sentinel_side(
    const po::variables_map& values, const std::string& side_name, const std::string& uri,
    const char* role, const host::EnvironmentLookup& environment = host::process_environment);

// Adds the options given to a connection's settings.
void add_sentinel_config(const SentinelSide& sentinel, nlohmann::json& config);

}  // namespace riot::app
