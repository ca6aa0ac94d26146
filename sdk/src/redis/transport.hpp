#pragma once
// The byte stream under a Connection. Connection speaks only this interface,
// so the kind of stream is chosen in one place (open_transport): TCP and Unix
// sockets (SocketTransport), and TLS over TCP (TlsTransport, OpenSSL).

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "redis/deadline.hpp"

namespace riot::redis {

struct ConnectionOptions;

class Transport {
 public:
  virtual ~Transport() = default;  // closes the stream

  // Sends as many bytes of `pieces`, in order, as the stream takes without
  // blocking (one gathered write: a large argument goes from where it is,
  // never copied to be contiguous with the rest); 0 when it would block.
  // Throws IoError when the connection is broken.
  virtual std::size_t write_some(std::span<const std::string_view> pieces) = 0;

  // Receives the bytes available without blocking, at most buffer.size(); 0
  // when there are none yet. Throws IoError when the peer closed the
  // connection or it broke.
  virtual std::size_t read_some(std::span<char> buffer) = 0;

  // Blocks until read_some (or, with want_write, write_some) can make
  // progress; false when the deadline passed first. A TLS implementation
  // answers at once when it holds decrypted bytes, and waits for whichever
  // direction its handshake or renegotiation needs.
  virtual bool wait(bool want_write, detail::Deadline deadline) = 0;

  // For a caller that waits on several transports with one poll() (a
  // subscriber following every master of a cluster) instead of wait(): the
  // socket, and the poll events wait(want_write) would wait for.
  virtual int socket() const noexcept = 0;
  virtual short poll_events(bool want_write) const noexcept = 0;
  // Whether read_some has bytes without the socket becoming readable (TLS:
  // records OpenSSL already decrypted, which poll cannot see).
  virtual bool has_buffered_input() const noexcept { return false; }
};

// Connects to options.uri within the deadline. Throws TimeoutError when the
// deadline passes and IoError for any other failure; both name the endpoint
// as options.describe() does.
std::unique_ptr<Transport> open_transport(const ConnectionOptions& options,
                                          detail::Deadline deadline);

}  // namespace riot::redis
