#include "redis/transport.hpp"

#include "redis/socket_connect.hpp"
#include "redis/socket_transport.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {

std::unique_ptr<Transport> open_transport(const ConnectionOptions& options,
                                          detail::Deadline deadline) {
  switch (options.uri.scheme) {
    case Scheme::tcp:
      return std::make_unique<detail::SocketTransport>(detail::connect_tcp(options, deadline),
                                                       options.describe());
    case Scheme::unix_socket:
      return std::make_unique<detail::SocketTransport>(detail::connect_unix(options, deadline),
                                                       options.describe());
    case Scheme::tls:
      // The TLS transport (OpenSSL over the TCP socket of connect_tcp) plugs in here.
      throw IoError(options.describe(), "TLS (rediss://) is not supported yet");
  }
  throw IoError(options.describe(), "unknown URI scheme");
}

}  // namespace riot::redis
