#include "redis/transport.hpp"

#include "redis/socket_connect.hpp"
#include "redis/socket_transport.hpp"
#include "redis/tls_transport.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {

std::unique_ptr<Transport> open_transport(const ConnectionOptions& options,
                                          detail::Deadline deadline) {
  switch (options.uri.scheme) {
    case Scheme::tcp:
    case Scheme::tls: {
      detail::UniqueFd socket = detail::connect_tcp(options, deadline);
      if (options.uses_tls())
        return std::make_unique<detail::TlsTransport>(std::move(socket), options, deadline);
      return std::make_unique<detail::SocketTransport>(std::move(socket), options.describe());
    }
    case Scheme::unix_socket:
      // Redis serves TLS on TCP ports only.
      if (options.uses_tls())
        throw TlsError(options.describe(), "TLS is not available over a Unix socket");
      return std::make_unique<detail::SocketTransport>(detail::connect_unix(options, deadline),
                                                       options.describe());
  }
  throw IoError(options.describe(), "unknown URI scheme");
}

}  // namespace riot::redis
