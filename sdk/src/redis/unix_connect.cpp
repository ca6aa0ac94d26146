#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "redis/socket_connect.hpp"
#include "redis/socket_io.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

// A Unix socket whose accept queue is full refuses a non-blocking connect
// with EAGAIN and offers nothing to poll for, so the connect is retried.
constexpr std::chrono::milliseconds kRetryInterval{10};

[[noreturn]] void throw_timeout(const ConnectionOptions& options) {
  throw TimeoutError(
      options.describe(),
      "connect timed out after " + std::to_string(options.connect_timeout.count()) + " ms");
}

}  // namespace

UniqueFd connect_unix(const ConnectionOptions& options, Deadline deadline) {
  const std::string& path = options.uri.socket_path;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path)
    throw IoError(options.describe(), "the socket path must have 1 to " +
                                          std::to_string(sizeof address.sun_path - 1) +
                                          " bytes, it has " + std::to_string(path.size()));
  std::memcpy(address.sun_path, path.data(), path.size());

  UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket) throw IoError(options.describe(), errno_text(errno));
  for (;;) {
    if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0)
      return socket;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      const auto now = Clock::now();
      if (now >= deadline) throw_timeout(options);
      std::this_thread::sleep_for(std::min<Clock::duration>(kRetryInterval, deadline - now));
      continue;
    }
    if (errno != EINPROGRESS) throw IoError(options.describe(), errno_text(errno));
    const int seen = poll_until(socket.get(), POLLOUT, deadline);
    if (seen == 0) throw_timeout(options);
    int error = seen < 0 ? errno : 0;
    socklen_t length = sizeof error;
    if (error == 0 && ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
      error = errno;
    if (error != 0) throw IoError(options.describe(), errno_text(error));
    return socket;
  }
}

}  // namespace riot::redis::detail
