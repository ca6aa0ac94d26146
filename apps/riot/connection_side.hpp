#pragma once
// One side of a replication (SOURCE or TARGET) as the command line gives it:
// the URI and the --source-*/--target-* options that override its parts.

#include <optional>
#include <string>

#include "cli_options.hpp"
#include "secret_options.hpp"
#include "sentinel_options.hpp"

namespace riot::app {

// One side's TLS options (--source-tls, --target-cacert, ...). Only those
// given reach the document; the rest keep the connection schema's defaults.
struct TlsSide {
  bool tls = false;                           // --X-tls (a rediss:// URI needs none)
  bool insecure = false;                      // --X-insecure
  std::optional<std::string> tls_verify;      // --X-tls-verify full|ca|none (lower case)
  std::optional<std::string> cacert;          // --X-cacert
  std::optional<std::string> cert;            // --X-cert
  std::optional<std::string> key;             // --X-key
  std::optional<SecretSetting> key_password;  // --X-key-pwd, its file or $RIOT_X_KEY_PWD
};

struct ConnectionSide {
  std::string uri;
  std::optional<std::string> user;
  // --X-pass, --X-pass-file, $RIOT_X_PASS or $REDISCLI_AUTH (see
  // secret_options.hpp); nothing when the URI holds the password, or none is
  // given.
  std::optional<SecretSetting> password;
  std::optional<std::string> client_name;
  bool cluster = false;  // --X-cluster; without it the server is asked (INFO cluster)
  TlsSide tls;
  SentinelSide sentinel;

  // Whether a password is written into the document as it is: the URI's,
  // --X-pass, --X-key-pwd (those from a file or the environment go in as
  // references) or --X-sentinel-pass.
  bool holds_password() const;
};

// Reads and checks one side. `side_name` is both the positional argument's
// name and the options' prefix: "source" and --source-user, --source-tls...;
// `role` names the side in messages ("SOURCE"). Throws CommandLineError
// naming the option, or the URI with its password masked.
ConnectionSide read_connection_side(const po::variables_map& values, const std::string& side_name,
                                    const char* role);

// Throws CommandLineError naming the option (--X-cacert, --X-cert, --X-key)
// and the file when one of the side's TLS files cannot be read: a usage
// error (exit 2) before anything loads or connects, not a failure of the
// run. Apart from read_connection_side, which judges the options alone.
void require_readable_tls_files(const ConnectionSide& side, const std::string& side_name);

}  // namespace riot::app
