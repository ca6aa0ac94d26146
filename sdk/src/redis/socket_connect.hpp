#pragma once
// Opening the sockets a SocketTransport runs on. Both return a connected,
// non-blocking, close-on-exec socket, or throw TimeoutError / IoError naming
// the endpoint.

#include "redis/deadline.hpp"
#include "redis/unique_fd.hpp"

namespace riot::redis {
struct ConnectionOptions;
}

namespace riot::redis::detail {

// Resolves options.uri.host and connects to its addresses in turn, with
// TCP_NODELAY and keep-alive set.
UniqueFd connect_tcp(const ConnectionOptions& options, Deadline deadline);

// Connects to options.uri.socket_path.
UniqueFd connect_unix(const ConnectionOptions& options, Deadline deadline);

}  // namespace riot::redis::detail
