#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis {

enum class Scheme { tcp, tls, unix_socket };

// A server's network address as a URI writes it.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;

  std::string endpoint() const;  // "host:port" ("[::1]:port" for IPv6)
  bool operator==(const HostPort&) const = default;
};

// The port of a Redis Sentinel that a sentinel URI leaves out.
inline constexpr std::uint16_t kDefaultSentinelPort = 26379;

// A Redis endpoint as written by users:
//   redis://[[user]:password@]host[:port][/db]
//   rediss://...                       (TLS)
//   redis-socket:///path/to.sock[?db=N]  (also unix:///path)
//   redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]?master=NAME
//   rediss-sentinel://...              (TLS to the sentinels and the servers)
// User and password are percent-decoded; IPv6 hosts are written in brackets.
// A sentinel URI names the sentinels (port 26379 unless given) and the name
// of the master they watch (also "?sentinelMasterId=NAME" or "#NAME", as
// Lettuce writes it); its user and password are the data servers', as
// Lettuce and redis-cli read them (the sentinels' own credentials are
// connection settings of their own, see SentinelOptions).
struct Uri {
  Scheme scheme = Scheme::tcp;
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string socket_path;  // for Scheme::unix_socket
  std::string user;         // empty: the default user
  std::string password;     // empty: no AUTH
  int db = 0;
  // Not empty for a sentinel URI: host and port then name the first
  // sentinel until a connection learns the server from them.
  std::vector<HostPort> sentinels;
  std::string sentinel_master;  // may be empty: the connection settings give it

  bool is_sentinel() const noexcept { return !sentinels.empty(); }

  // Throws UriError naming the offending text (password masked).
  static Uri parse(std::string_view text);

  // The URI in canonical form, with the password replaced by "***" unless
  // reveal_password is set.
  std::string to_string(bool reveal_password = false) const;

  // "host:port" or the socket path: what error messages and logs show; for
  // a sentinel URI "master NAME via sentinels host:port,host:port".
  std::string endpoint() const;
};

}  // namespace riot::redis
