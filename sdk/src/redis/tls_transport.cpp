#include "redis/tls_transport.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>

#include "redis/socket_io.hpp"
#include "redis/tls_messages.hpp"
#include "redis/tls_socket_bio.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

bool is_ip_address(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), address) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// The reason code of the oldest queued OpenSSL error when it is the TLS
// library's own (alerts, verification, protocol), else 0.
int ssl_reason() {
  const unsigned long code = ERR_peek_error();
  return code != 0 && ERR_GET_LIB(code) == ERR_LIB_SSL ? ERR_GET_REASON(code) : 0;
}

// Alerts a server sends when it does not accept the client certificate.
bool refuses_certificate(int reason) {
  switch (reason) {
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
      return true;
    default:
      return false;
  }
}

// What a server that does not speak TLS at all makes OpenSSL say.
bool not_tls(int reason) {
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG;
}

// Verification results that a CA file given to riot would resolve, as
// opposed to a certificate that is expired, revoked or not for a server.
bool issuer_unknown(long result) {
  switch (result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return true;
    default:
      return false;
  }
}

const char* while_doing(bool handshake, bool sending) {
  return handshake ? "during the TLS handshake" : sending ? "while sending" : "while receiving";
}

}  // namespace

TlsTransport::TlsTransport(UniqueFd socket, const ConnectionOptions& options, Deadline deadline)
    : socket_(std::move(socket)),
      context_(TlsContext::shared_for(options)),
      description_(options.describe()),
      role_(options.role),
      server_name_(options.tls.server_name.empty() ? options.uri.host : options.tls.server_name),
      connect_timeout_(options.connect_timeout) {
  start_session(options);
  handshake(deadline);
}

TlsTransport::~TlsTransport() {
  // One attempt, never waited for: a polite close_notify when the socket
  // takes it now. After a fatal error OpenSSL forbids it.
  if (ssl_ && !broken_ && SSL_is_init_finished(ssl_.get())) {
    (void)SSL_shutdown(ssl_.get());
    ERR_clear_error();
  }
}

void TlsTransport::start_session(const ConnectionOptions& options) {
  ERR_clear_error();
  ssl_.reset(SSL_new(context_->get()));
  BIO* bio = ssl_ ? new_socket_bio(socket_.get()) : nullptr;
  if (bio == nullptr)
    throw TlsError(description_, "TLS: cannot start a TLS session: " + take_openssl_error());
  SSL_set_bio(ssl_.get(), bio, bio);  // the SSL owns the BIO from here
  take_handshake_notes(ssl_.get(), &notes_);
  SSL_set_connect_state(ssl_.get());

  const bool ip = is_ip_address(server_name_);
  // SNI carries names only (RFC 6066): a server with several certificates
  // (a cloud endpoint, a proxy) picks the one for this name.
  if (!ip && SSL_set_tlsext_host_name(ssl_.get(), server_name_.c_str()) != 1)
    throw TlsError(description_, "TLS: cannot use the server name '" + server_name_ +
                                     "': " + take_openssl_error());
  if (options.tls.verify != TlsVerify::full) return;
  X509_VERIFY_PARAM* check = SSL_get0_param(ssl_.get());
  X509_VERIFY_PARAM_set_hostflags(check, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(check, server_name_.c_str())
                     : X509_VERIFY_PARAM_set1_host(check, server_name_.c_str(), 0);
  if (set != 1)
    throw TlsError(description_, "TLS: cannot check the server's certificate for '" + server_name_ +
                                     "': " + take_openssl_error());
}

void TlsTransport::handshake(Deadline deadline) {
  for (;;) {
    ERR_clear_error();
    const int result = SSL_connect(ssl_.get());
    const int system_error = errno;
    if (result == 1) return;
    const int ssl_error = SSL_get_error(ssl_.get(), result);
    if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE)
      std::rethrow_exception(failure(ssl_error, system_error, Step::handshake));
    const short events = ssl_error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    const int seen = poll_until(socket_.get(), events, deadline);
    if (seen < 0)
      throw IoError(description_, "waiting for the socket failed: " + errno_text(errno));
    if (seen == 0)
      throw TimeoutError(description_, "TLS handshake timed out after " +
                                           std::to_string(connect_timeout_.count()) +
                                           " ms (connect timeout); does the server speak TLS on "
                                           "this port?");
  }
}

std::size_t TlsTransport::write_some(std::span<const std::string_view> pieces) {
  if (deferred_) std::rethrow_exception(deferred_);
  // With partial writes, one SSL_write sends one record (16 KiB at most):
  // as many as the socket takes go in one call, as for a plain send. TLS has
  // no gathered write; each piece goes in place, one SSL_write after another.
  std::size_t total = 0;
  for (const std::string_view piece : pieces) {
    std::size_t done = 0;
    while (done < piece.size()) {
      ERR_clear_error();
      std::size_t written = 0;
      // After WANT_WRITE the next call starts at the same byte (the exchange
      // passes what was not reported written, maybe with more after it), as
      // OpenSSL requires of a retried write.
      const int result =
          SSL_write_ex(ssl_.get(), piece.data() + done, piece.size() - done, &written);
      const int system_error = errno;
      if (result == 1) {
        done += written;
        write_needs_ = Direction::write;
        continue;
      }
      const int ssl_error = SSL_get_error(ssl_.get(), result);
      if (ssl_error == SSL_ERROR_WANT_WRITE || ssl_error == SSL_ERROR_WANT_READ) {
        write_needs_ = ssl_error == SSL_ERROR_WANT_READ ? Direction::read : Direction::write;
        return total + done;
      }
      std::rethrow_exception(failure(ssl_error, system_error, Step::sending));
    }
    total += done;
  }
  return total;
}

std::size_t TlsTransport::read_some(std::span<char> buffer) {
  if (deferred_) std::rethrow_exception(deferred_);
  // Several records per call (up to 16 KiB each): as many as arrived, so
  // that the caller's large buffer means few calls.
  std::size_t total = 0;
  while (total < buffer.size()) {
    ERR_clear_error();
    std::size_t received = 0;
    const int result =
        SSL_read_ex(ssl_.get(), buffer.data() + total, buffer.size() - total, &received);
    const int system_error = errno;
    if (result == 1) {
      total += received;
      read_needs_ = Direction::read;
      received_ = true;
      continue;
    }
    const int ssl_error = SSL_get_error(ssl_.get(), result);
    if (ssl_error == SSL_ERROR_WANT_READ || ssl_error == SSL_ERROR_WANT_WRITE) {
      read_needs_ = ssl_error == SSL_ERROR_WANT_WRITE ? Direction::write : Direction::read;
      break;
    }
    std::exception_ptr error = failure(ssl_error, system_error, Step::receiving);
    if (total == 0) std::rethrow_exception(error);
    // The bytes that came before the error are delivered first, like the
    // last bytes before a plain socket's end of stream.
    deferred_ = std::move(error);
    break;
  }
  return total;
}

bool TlsTransport::has_buffered_input() const noexcept {
  // Decrypted bytes wait inside OpenSSL, where poll cannot see them; a
  // deferred error is delivered by the next read.
  return deferred_ || SSL_pending(ssl_.get()) > 0;
}

bool TlsTransport::wait(bool want_write, Deadline deadline) {
  if (has_buffered_input()) return true;
  const int seen = poll_until(socket_.get(), poll_events(want_write), deadline);
  if (seen < 0) throw IoError(description_, "waiting for the socket failed: " + errno_text(errno));
  // Errors and hang-ups count as ready: the next read or write reports them.
  return seen > 0;
}

// What lets the next read (always wanted: replies) or write (when there is
// something to send) make progress. TLS may need the other direction than
// the call's own: a read that must first send (a key update), a write that
// must first receive.
short TlsTransport::poll_events(bool want_write) const noexcept {
  const auto event = [](Direction direction) -> short {
    return direction == Direction::read ? POLLIN : POLLOUT;
  };
  short events = event(read_needs_);
  if (want_write) events = static_cast<short>(events | event(write_needs_));
  return events;
}

std::exception_ptr TlsTransport::failure(int ssl_error, int system_error, Step step) {
  broken_ = true;
  const int reason = ssl_reason();
  const std::string openssl_text = take_openssl_error();
  const bool handshake = step == Step::handshake;
  const std::string when = while_doing(handshake, step == Step::sending);
  const auto io_error = [&](const std::string& message) {
    return std::make_exception_ptr(IoError(description_, message));
  };
  const auto tls_error = [&](const std::string& message) {
    return std::make_exception_ptr(TlsError(description_, message));
  };

  // Before its first answer, a server that asked for a client certificate
  // and then failed the connection (an alert, a reset, a close) refused it.
  if (notes_.certificate_requested && !received_) {
    if (context_->cert_file().empty())
      return tls_error("TLS: the server requires a client certificate; " +
                       setting_hint(role_, {kCertSetting, kKeySetting}));
    if (refuses_certificate(reason))
      return tls_error("TLS: the server refused the client certificate '" + context_->cert_file() +
                       "' (" + openssl_text + ")");
  }
  if (ssl_error == SSL_ERROR_ZERO_RETURN || reason == SSL_R_UNEXPECTED_EOF_WHILE_READING ||
      (ssl_error == SSL_ERROR_SYSCALL && system_error == 0))
    return io_error(handshake ? "the server closed the connection during the TLS handshake"
                              : "connection closed by the server");
  if (ssl_error == SSL_ERROR_SYSCALL)
    return io_error("connection lost " + when + ": " + errno_text(system_error));
  if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) return tls_error(verification_failure());
  if (handshake && not_tls(reason))
    return tls_error("TLS handshake failed: " + openssl_text +
                     " (the server does not answer in TLS: is this a redis:// port?)");
  return tls_error(handshake ? "TLS handshake failed: " + openssl_text
                             : "TLS error " + when + ": " + openssl_text);
}

std::string TlsTransport::verification_failure() const {
  const long result = SSL_get_verify_result(ssl_.get());
  const std::string& names = notes_.rejected_certificate_names;
  if (result == X509_V_ERR_HOSTNAME_MISMATCH || result == X509_V_ERR_IP_ADDRESS_MISMATCH)
    return "TLS handshake failed: host name mismatch: the server's certificate is for " +
           (names.empty() ? std::string("other names") : names) + ", not '" + server_name_ +
           "'; connect with a name the certificate holds, or " +
           setting_hint(role_, {kVerifyCaSetting}) + " to check the chain only";
  const std::string trusted = context_->ca_file().empty()
                                  ? "the system's CA certificates"
                                  : "the CA certificates of '" + context_->ca_file() + "'";
  std::string message = "TLS handshake failed: certificate verify failed (" +
                        std::string(X509_verify_cert_error_string(result)) +
                        "): the server's certificate could not be verified with " + trusted;
  if (issuer_unknown(result))
    message += "; to trust the CA that issued it, " + setting_hint(role_, {kCacertSetting});
  return message;
}

}  // namespace riot::redis::detail
