#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>
#include <string>

#include "redis/socket_connect.hpp"
#include "redis/socket_io.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

// How one attempt to connect to one address ended.
struct Attempt {
  UniqueFd socket;  // set when connected
  int error = 0;    // errno otherwise
  bool timed_out = false;
};

Attempt connect_address(const addrinfo& address, Deadline deadline) {
  UniqueFd socket(::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           address.ai_protocol));
  if (!socket) return {{}, errno};
  if (::connect(socket.get(), address.ai_addr, address.ai_addrlen) == 0) return {std::move(socket)};
  // A non-blocking connect (even one interrupted by a signal) completes in the
  // background; the socket turns writable when it succeeded or failed.
  if (errno != EINPROGRESS && errno != EINTR) return {{}, errno};
  const int seen = poll_until(socket.get(), POLLOUT, deadline);
  if (seen == 0) return {{}, 0, true};
  if (seen < 0) return {{}, errno};
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return {{}, error};
  return {std::move(socket)};
}

void set_option(int socket, int level, int name, int value) {
  // Best effort: a kernel without one of these options still gives a working
  // connection, only a less responsive one.
  (void)::setsockopt(socket, level, name, &value, sizeof value);
}

void tune(int socket) {
  // Pipelines are written in one go and must leave at once, not after
  // Nagle's algorithm waited for an acknowledgement.
  set_option(socket, IPPROTO_TCP, TCP_NODELAY, 1);
  // A server that vanished without a FIN (host down, NAT state dropped) is
  // noticed on an idle connection within about two minutes, not two hours.
  set_option(socket, SOL_SOCKET, SO_KEEPALIVE, 1);
  set_option(socket, IPPROTO_TCP, TCP_KEEPIDLE, 60);
  set_option(socket, IPPROTO_TCP, TCP_KEEPINTVL, 15);
  set_option(socket, IPPROTO_TCP, TCP_KEEPCNT, 4);
}

struct AddrinfoDeleter {
  void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};

}  // namespace

UniqueFd connect_tcp(const ConnectionOptions& options, Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV;
  const std::string port = std::to_string(options.uri.port);
  addrinfo* found = nullptr;
  // getaddrinfo has no timeout of its own: a resolver that hangs is bounded
  // only by the system's resolver settings (resolv.conf timeout/attempts).
  const int status = ::getaddrinfo(options.uri.host.c_str(), port.c_str(), &hints, &found);
  if (status != 0) {
    const std::string reason = status == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(status);
    throw IoError(options.describe(), "cannot resolve host '" + options.uri.host + "': " + reason);
  }
  const std::unique_ptr<addrinfo, AddrinfoDeleter> addresses(found);

  int last_error = ECONNREFUSED;
  for (const addrinfo* address = addresses.get(); address != nullptr; address = address->ai_next) {
    Attempt attempt = connect_address(*address, deadline);
    if (attempt.socket) {
      tune(attempt.socket.get());
      return std::move(attempt.socket);
    }
    if (attempt.timed_out)
      throw TimeoutError(
          options.describe(),
          "connect timed out after " + std::to_string(options.connect_timeout.count()) + " ms");
    last_error = attempt.error;
  }
  throw IoError(options.describe(), errno_text(last_error));
}

}  // namespace riot::redis::detail
