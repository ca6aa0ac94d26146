#include "redis/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

#include "redis/socket_io.hpp"
#include "redis/tls_messages.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

// What OpenSSL's password callback sees while a key is loaded.
struct PasswordRequest {
  const std::string* password = nullptr;
  bool asked = false;
};

// Installed for good: without a callback of its own, OpenSSL would prompt
// for a pass phrase on the terminal and block the run.
int supply_password(char* buffer, int size, int /*writing*/, void* user_data) {
  auto* request = static_cast<PasswordRequest*>(user_data);
  if (request == nullptr) return 0;
  request->asked = true;
  const std::string& password = *request->password;
  if (password.empty() || password.size() > static_cast<std::size_t>(size)) return 0;
  std::memcpy(buffer, password.data(), password.size());
  return static_cast<int>(password.size());
}

HandshakeNotes* notes_of(SSL* ssl) {
  return static_cast<HandshakeNotes*>(SSL_get_app_data(ssl));
}

// Called when the server sends a certificate request, whether or not a
// client certificate is configured.
int note_certificate_request(SSL* ssl, void* /*argument*/) {
  if (HandshakeNotes* notes = notes_of(ssl)) notes->certificate_requested = true;
  return 1;
}

// Keeps the names of a server certificate that failed verification (OpenSSL
// drops the certificate when the handshake fails), and changes no verdict.
int note_verification(int verified, X509_STORE_CTX* store) {
  if (verified == 1 || X509_STORE_CTX_get_error_depth(store) != 0) return verified;
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  HandshakeNotes* notes = ssl == nullptr ? nullptr : notes_of(ssl);
  if (notes != nullptr)
    notes->rejected_certificate_names = certificate_names(X509_STORE_CTX_get0_cert(store));
  return verified;
}

// Fills a fresh SSL_CTX from the TLS settings; every failure is a TlsError
// naming the endpoint and the file.
class ContextLoader {
 public:
  ContextLoader(SSL_CTX* context, const ConnectionOptions& options)
      : context_(context), tls_(options.tls), role_(options.role), endpoint_(options.describe()) {}

  void load() {
    // TLS 1.0 and 1.1 are broken and every Redis with TLS offers 1.2.
    if (SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION) != 1)
      fail("cannot require TLS 1.2: " + take_openssl_error());
    // Partial writes: write_some reports what went out, like send(2). A
    // moving buffer: a retried write may start at the same bytes elsewhere.
    SSL_CTX_set_mode(context_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_default_passwd_cb(context_, supply_password);
    SSL_CTX_set_cert_cb(context_, note_certificate_request, nullptr);
    SSL_CTX_set_verify(context_, tls_.verify == TlsVerify::none ? SSL_VERIFY_NONE : SSL_VERIFY_PEER,
                       note_verification);
    trust();
    identify();
  }

 private:
  void trust() {
    if (tls_.verify == TlsVerify::none) return;
    if (tls_.ca_file.empty()) {
      // The distribution's bundle (/etc/ssl/certs on Debian), or what
      // SSL_CERT_FILE / SSL_CERT_DIR name.
      if (SSL_CTX_set_default_verify_paths(context_) != 1)
        fail("cannot load the system's CA certificates: " + take_openssl_error());
      return;
    }
    check_readable(tls_.ca_file, "CA certificate file");
    if (SSL_CTX_load_verify_locations(context_, tls_.ca_file.c_str(), nullptr) != 1)
      fail("cannot use the CA certificate file '" + tls_.ca_file + "': " + take_openssl_error() +
           " (expected PEM certificates)");
  }

  void identify() {
    if (tls_.cert_file.empty()) return;
    check_readable(tls_.cert_file, "client certificate file");
    if (SSL_CTX_use_certificate_chain_file(context_, tls_.cert_file.c_str()) != 1)
      fail("cannot use the client certificate file '" + tls_.cert_file +
           "': " + take_openssl_error() + " (expected a PEM certificate)");
    load_key();
    if (SSL_CTX_check_private_key(context_) != 1) mismatch();
  }

  [[noreturn]] void mismatch() const {
    fail("the private key '" + tls_.key_file + "' does not belong to the client certificate '" +
         tls_.cert_file + "'");
  }

  void load_key() {
    check_readable(tls_.key_file, "private key file");
    PasswordRequest request{&tls_.key_password};
    SSL_CTX_set_default_passwd_cb_userdata(context_, &request);
    const int loaded =
        SSL_CTX_use_PrivateKey_file(context_, tls_.key_file.c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_set_default_passwd_cb_userdata(context_, nullptr);
    if (loaded == 1) return;
    // OpenSSL checks the key against the certificate loaded before it.
    const unsigned long code = ERR_peek_error();
    if (ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH)
      mismatch();
    const std::string reason = take_openssl_error();
    const std::string problem = "cannot use the private key file '" + tls_.key_file + "': ";
    if (request.asked && tls_.key_password.empty())
      fail(problem + "it is encrypted and no password was given; " +
           setting_hint(role_, {kKeyPasswordSetting}));
    if (request.asked) fail(problem + "the password does not decrypt it (" + reason + ")");
    fail(problem + reason + " (expected a PEM private key, PKCS#8 or traditional)");
  }

  // Said in the system's words ("no such file or directory", "permission
  // denied") before OpenSSL would say it in its own.
  void check_readable(const std::string& file, const char* what) const {
    if (::access(file.c_str(), R_OK) != 0)
      fail("cannot read the " + std::string(what) + " '" + file + "': " + errno_text(errno));
  }

  [[noreturn]] void fail(const std::string& problem) const {
    ERR_clear_error();
    throw TlsError(endpoint_, "TLS: " + problem);
  }

  SSL_CTX* context_;
  const TlsOptions& tls_;
  const std::string& role_;
  std::string endpoint_;
};

// Two connections share a context when everything it is loaded from is the
// same. The server name is not part of it: it is set on each connection.
using ContextKey = std::tuple<TlsVerify, std::string, std::string, std::string, std::string>;

ContextKey key_of(const TlsOptions& tls) {
  return {tls.verify, tls.ca_file, tls.cert_file, tls.key_file, tls.key_password};
}

}  // namespace

std::shared_ptr<const TlsContext> TlsContext::shared_for(const ConnectionOptions& options) {
  // Weak references: a context goes with the last connection using it, and a
  // later connection loads the files again (a renewed certificate is read).
  static std::mutex mutex;
  static std::map<ContextKey, std::weak_ptr<const TlsContext>> contexts;
  ContextKey key = key_of(options.tls);
  const std::lock_guard lock(mutex);
  if (const auto found = contexts.find(key); found != contexts.end())
    if (auto shared = found->second.lock()) return shared;
  auto loaded = std::make_shared<const TlsContext>(options);
  std::erase_if(contexts, [](const auto& entry) { return entry.second.expired(); });
  contexts[std::move(key)] = loaded;
  return loaded;
}

TlsContext::TlsContext(const ConnectionOptions& options)
    : context_(SSL_CTX_new(TLS_client_method())),
      ca_file_(options.tls.ca_file),
      cert_file_(options.tls.cert_file) {
  if (context_ == nullptr) {
    const std::string reason = take_openssl_error();
    throw TlsError(options.describe(), "TLS: cannot create a TLS context: " + reason);
  }
  try {
    ContextLoader(context_, options).load();
  } catch (...) {
    SSL_CTX_free(context_);
    throw;
  }
}

TlsContext::~TlsContext() {
  SSL_CTX_free(context_);
}

void take_handshake_notes(SSL* ssl, HandshakeNotes* notes) {
  SSL_set_app_data(ssl, notes);
}

}  // namespace riot::redis::detail
