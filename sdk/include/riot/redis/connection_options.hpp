#pragma once
#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "riot/redis/read_from.hpp"
#include "riot/redis/uri.hpp"

namespace riot::redis {

// What a TLS client checks of the server's certificate.
enum class TlsVerify {
  full,  // the chain up to a trusted CA, and the host name (or IP address) in the certificate
  ca,    // the chain only: any name signed by a trusted CA is accepted
  none,  // nothing: encryption without authentication (insecure)
};

// "full", "ca", "none".
std::string_view to_string(TlsVerify verify);
// The mode named by `text` (lower case, as the schema spells it).
std::optional<TlsVerify> parse_tls_verify(std::string_view text);

struct TlsOptions {
  bool enabled = false;  // TLS on a redis:// URI; a rediss:// URI always uses TLS
  TlsVerify verify = TlsVerify::full;
  std::string ca_file;       // PEM CA certificates to trust; empty: the system's default CAs
  std::string cert_file;     // PEM client certificate (mutual TLS), with its chain
  std::string key_file;      // its PEM private key: PKCS#8 (possibly encrypted) or traditional
  std::string key_password;  // decrypts key_file; never logged nor shown in messages
  std::string server_name;   // SNI and the name checked under `full`; empty: the URI's host
};

// How a connection whose URI names Redis Sentinels (Uri::is_sentinel) finds
// its server: at every connect it asks the sentinels in turn, the first that
// answers names the master (and its replicas, when reads may go to one), and
// the server's ROLE is checked before use.
struct SentinelOptions {
  // The sentinels' own ACL user and password (requirepass / sentinel
  // sentinel-user); the URI's credentials are the data servers'.
  std::string user;
  std::string password;  // never logged nor shown in messages
  // Which node serves: the master, or a replica as cluster::ReadFrom says.
  // Client::open sets both from ClientOptions.
  cluster::ReadFrom read_from = cluster::ReadFrom::master;
  std::size_t spread = 0;  // picks among several replicas
};

struct ConnectionOptions {
  Uri uri;
  std::string role;                  // "source" / "target": prefixes error messages
  std::string client_name = "riot";  // CLIENT SETNAME; empty to skip
  // Zero or less: no timeout. connect_timeout bounds connecting and the
  // handshake together; command_timeout bounds every wait for the server.
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds command_timeout{30000};
  std::size_t pipeline_window = 1000;  // commands in flight at most
  TlsOptions tls;
  // READONLY after connecting: a cluster replica then serves reads of the
  // slots its master holds instead of redirecting them.
  bool read_only = false;
  SentinelOptions sentinel;  // used when uri.is_sentinel()

  // Whether the connection runs over TLS: a rediss:// URI or tls.enabled.
  bool uses_tls() const noexcept { return tls.enabled || uri.scheme == Scheme::tls; }

  // "target 127.0.0.1:6380": what messages name.
  std::string describe() const;

  // The connection settings of a component's configuration. Every component
  // that connects embeds these properties in its schema (see
  // connection_schema_properties) so that pipelines spell them the same way:
  //   uri, user, password, client_name, connect_timeout_ms,
  //   command_timeout_ms, pipeline_window, cluster (read by ClientOptions),
  //   tls, tls_verify, insecure, cacert, cert, key, key_password, sni,
  //   sentinel_master, sentinel_user, sentinel_password.
  // `user` and `password`, when present, override what the URI holds.
  // `sentinel_master` names the master of a sentinel URI (overriding its
  // ?master=), or turns a redis:// or rediss:// URI into one whose host is
  // the sentinel.
  // `insecure: true` means tls_verify "none" whatever tls_verify says. Throws
  // std::invalid_argument naming the key for a bad value, a cert without a
  // key (or the reverse), or a TLS setting while TLS is off.
  static ConnectionOptions from_config(const nlohmann::json& config, std::string_view role);
  static nlohmann::json connection_schema_properties();

  // The whole configuration schema of a component that connects: an object
  // with the connection properties plus `own_properties`, `uri` required,
  // unknown keys refused.
  static nlohmann::json component_schema(nlohmann::json own_properties);
};

}  // namespace riot::redis
