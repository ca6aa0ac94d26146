#pragma once
// One side of a replication (SOURCE or TARGET) as the command line gives it:
// the URI and the --source-*/--target-* options that override its parts.

#include <optional>
#include <string>

#include "cli_options.hpp"
#include "sentinel_options.hpp"

namespace riot::app {

// One side's TLS options (--source-tls, --target-cacert, ...). Only those
// given reach the document; the rest keep the connection schema's defaults.
struct TlsSide {
  bool tls = false;                         // --X-tls (a rediss:// URI needs none)
  bool insecure = false;                    // --X-insecure
  std::optional<std::string> tls_verify;    // --X-tls-verify full|ca|none (lower case)
  std::optional<std::string> cacert;        // --X-cacert
  std::optional<std::string> cert;          // --X-cert
  std::optional<std::string> key;           // --X-key
  std::optional<std::string> key_password;  // --X-key-pwd
};

struct ConnectionSide {
  std::string uri;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> client_name;
  bool cluster = false;  // --X-cluster; without it the server is asked (INFO cluster)
  TlsSide tls;
  SentinelSide sentinel;

  // Whether a password reaches the document: the URI's, --X-pass, the
  // key's (--X-key-pwd) or the sentinels' (--X-sentinel-pass).
  bool holds_password() const;
};

// Reads and checks one side. `side_name` is both the positional argument's
// name and the options' prefix: "source" and --source-user, --source-tls...;
// `role` names the side in messages ("SOURCE"). Throws CommandLineError
// naming the option, or the URI with its password masked.
ConnectionSide read_connection_side(const po::variables_map& values, const std::string& side_name,
                                    const char* role);

}  // namespace riot::app
