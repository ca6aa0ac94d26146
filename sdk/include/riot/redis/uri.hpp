#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace riot::redis {

enum class Scheme { tcp, tls, unix_socket };

// A Redis endpoint as written by users:
//   redis://[[user]:password@]host[:port][/db]
//   rediss://...                       (TLS)
//   redis-socket:///path/to.sock[?db=N]  (also unix:///path)
// User and password are percent-decoded; IPv6 hosts are written in brackets.
struct Uri {
  Scheme scheme = Scheme::tcp;
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string socket_path;  // for Scheme::unix_socket
  std::string user;         // empty: the default user
  std::string password;     // empty: no AUTH
  int db = 0;

  // Throws UriError naming the offending text (password masked).
  static Uri parse(std::string_view text);

  // The URI in canonical form, with the password replaced by "***" unless
  // reveal_password is set.
  std::string to_string(bool reveal_password = false) const;

  // "host:port" or the socket path: what error messages and logs show.
  std::string endpoint() const;
};

}  // namespace riot::redis
