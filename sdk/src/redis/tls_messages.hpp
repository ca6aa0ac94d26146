#pragma once
// The words of TLS error messages: OpenSSL's error queue as text, the names a
// certificate is issued for, and hints that name the settings to change.

#include <openssl/x509.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace riot::redis::detail {

// A TLS setting as the launcher spells it (after "--source-"/"--target-")
// and as a pipeline document does.
struct TlsSetting {
  std::string_view option;
  std::string_view key;
};
inline constexpr TlsSetting kCacertSetting{"cacert FILE", "\"cacert\""};
inline constexpr TlsSetting kCertSetting{"cert FILE", "\"cert\""};
inline constexpr TlsSetting kKeySetting{"key FILE", "\"key\""};
inline constexpr TlsSetting kKeyPasswordSetting{"key-pwd PASSWORD", "\"key_password\""};
inline constexpr TlsSetting kVerifyCaSetting{"tls-verify ca", "\"tls_verify\": \"ca\""};

// "use --target-cert FILE and --target-key FILE ("cert" and "key" in a
// pipeline)", or without a role "use "cert" and "key"".
std::string setting_hint(std::string_view role, std::initializer_list<TlsSetting> settings);

// The reason of the oldest error OpenSSL queued on this thread, in OpenSSL's
// words ("certificate verify failed"), or "unknown error" when there is none.
// Clears the queue.
std::string take_openssl_error();

// The host names and IP addresses a certificate is issued for
// ("wrong.example, 10.0.0.1"): its subject alternative names, else its common
// name. Names only, never the certificate itself.
std::string certificate_names(X509* certificate);

}  // namespace riot::redis::detail
