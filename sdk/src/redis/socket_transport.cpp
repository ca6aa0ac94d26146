#include "redis/socket_transport.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "redis/socket_io.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {

SocketTransport::SocketTransport(UniqueFd socket, std::string description)
    : socket_(std::move(socket)), description_(std::move(description)) {}

std::size_t SocketTransport::write_some(std::span<const std::string_view> pieces) {
  std::array<iovec, kMaxPieces> vectors;
  const std::size_t count = std::min(pieces.size(), vectors.size());
  for (std::size_t i = 0; i < count; ++i)
    vectors[i] = {const_cast<char*>(pieces[i].data()), pieces[i].size()};
  msghdr message{};
  message.msg_iov = vectors.data();
  message.msg_iovlen = count;
  for (;;) {
    // sendmsg is writev with flags. MSG_NOSIGNAL: a peer that closed makes
    // it fail with EPIPE instead of raising SIGPIPE, which would kill the
    // whole process.
    const ssize_t sent = ::sendmsg(socket_.get(), &message, MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<std::size_t>(sent);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    throw IoError(description_, "connection lost while sending: " + errno_text(errno));
  }
}

std::size_t SocketTransport::read_some(std::span<char> buffer) {
  for (;;) {
    const ssize_t received = ::recv(socket_.get(), buffer.data(), buffer.size(), 0);
    if (received > 0) return static_cast<std::size_t>(received);
    if (received == 0) throw IoError(description_, "connection closed by the server");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    throw IoError(description_, "connection lost while receiving: " + errno_text(errno));
  }
}

short SocketTransport::poll_events(bool want_write) const noexcept {
  return static_cast<short>(POLLIN | (want_write ? POLLOUT : 0));
}

bool SocketTransport::wait(bool want_write, Deadline deadline) {
  const int seen = poll_until(socket_.get(), poll_events(want_write), deadline);
  if (seen < 0) throw IoError(description_, "waiting for the socket failed: " + errno_text(errno));
  // Errors and hang-ups count as ready: the next read or write reports them.
  return seen > 0;
}

}  // namespace riot::redis::detail
