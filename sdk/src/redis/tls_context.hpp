#pragma once
// The OpenSSL context (SSL_CTX) of TLS connections: trusted CAs, the client
// certificate and key, the verification mode. Loading it reads files (the
// system's CA bundle holds over a hundred certificates), so connections with
// the same TLS settings share one while any of them is open.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "riot/redis/connection_options.hpp"

namespace riot::redis::detail {

class TlsContext {
 public:
  // The context for options.tls, loaded or shared. Throws TlsError naming
  // options.describe() and the file at fault when a CA, certificate or key
  // file cannot be read or used; never shows a file's content or the key's
  // password.
  static std::shared_ptr<const TlsContext> shared_for(const ConnectionOptions& options);

  // Loads the context for options.tls; errors as for shared_for.
  explicit TlsContext(const ConnectionOptions& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Non-const for SSL_new: the context itself is not changed after loading,
  // which is what lets threads share it.
  SSL_CTX* get() const noexcept { return context_; }

  const std::string& ca_file() const noexcept { return ca_file_; }      // empty: the system's
  const std::string& cert_file() const noexcept { return cert_file_; }  // empty: none

 private:
  SSL_CTX* context_ = nullptr;
  std::string ca_file_;
  std::string cert_file_;
};

// What the context's callbacks learn during one handshake, for the error
// message should it fail.
struct HandshakeNotes {
  bool certificate_requested = false;      // the server asked for a client certificate
  std::string rejected_certificate_names;  // of a server certificate that failed verification
};

// Has the callbacks of TlsContext fill `notes` for this SSL; `notes` must
// outlive the SSL's handshake.
void take_handshake_notes(SSL* ssl, HandshakeNotes* notes);

}  // namespace riot::redis::detail
