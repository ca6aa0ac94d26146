#pragma once
// A Transport over TLS (OpenSSL) on a connected, non-blocking TCP socket.
//
// The socket stays non-blocking: OpenSSL reports that it needs the socket
// readable or writable (SSL_ERROR_WANT_READ / WANT_WRITE, in either direction,
// since TLS may need to write while reading and the reverse), and wait()
// polls for that with the caller's deadline, as SocketTransport does. Bytes
// that OpenSSL already decrypted are served without polling.

#include <openssl/ssl.h>

#include <exception>
#include <memory>
#include <string>

#include "redis/tls_context.hpp"
#include "redis/transport.hpp"
#include "redis/unique_fd.hpp"

namespace riot::redis::detail {

class TlsTransport final : public Transport {
 public:
  // Runs the TLS handshake within the deadline: SNI with the server's name,
  // then the verification options.tls asks for. Throws TlsError when TLS
  // fails (certificate not verified, client certificate refused or missing),
  // TimeoutError when the deadline passes, IoError when the socket breaks;
  // each names options.describe().
  TlsTransport(UniqueFd socket, const ConnectionOptions& options, Deadline deadline);
  ~TlsTransport() override;  // sends close_notify when the connection is sound
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  std::size_t write_some(std::span<const std::string_view> pieces) override;
  std::size_t read_some(std::span<char> buffer) override;
  bool wait(bool want_write, Deadline deadline) override;
  int socket() const noexcept override { return socket_.get(); }
  short poll_events(bool want_write) const noexcept override;
  bool has_buffered_input() const noexcept override;

 private:
  enum class Direction { read, write };
  enum class Step { handshake, sending, receiving };
  struct SslDeleter {
    void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
  };

  void start_session(const ConnectionOptions& options);
  void handshake(Deadline deadline);
  // The exception for a failed SSL call: `ssl_error` from SSL_get_error,
  // `system_error` the errno right after the call.
  std::exception_ptr failure(int ssl_error, int system_error, Step step);
  std::string verification_failure() const;

  UniqueFd socket_;  // outlives ssl_, whose BIO writes to it
  std::shared_ptr<const TlsContext> context_;
  HandshakeNotes notes_;  // filled by OpenSSL's callbacks; outlives ssl_
  std::unique_ptr<SSL, SslDeleter> ssl_;
  std::string description_;  // "target 127.0.0.1:6390", for messages
  std::string role_;         // "target", for the option names in hints
  std::string server_name_;  // the name or address the certificate must hold
  std::chrono::milliseconds connect_timeout_;
  Direction read_needs_ = Direction::read;    // what the last read waits for
  Direction write_needs_ = Direction::write;  // what the last write waits for
  bool received_ = false;                     // the server answered: it accepted this client
  bool broken_ = false;                       // a fatal error: no close_notify, no further I/O
  std::exception_ptr deferred_;  // a read error held back while its bytes are delivered
};

}  // namespace riot::redis::detail
