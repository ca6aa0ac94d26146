#include "redis/tls_messages.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <memory>

#include "redis/socket_io.hpp"

namespace riot::redis::detail {
namespace {

constexpr int kMaxNamesShown = 5;

std::string join(std::initializer_list<TlsSetting> settings, bool as_options,
                 std::string_view role) {
  std::string out;
  std::size_t index = 0;
  for (const TlsSetting& setting : settings) {
    if (index > 0) out += index + 1 == settings.size() ? " and " : ", ";
    if (as_options)
      out += "--" + std::string(role) + "-" + std::string(setting.option);
    else
      out += setting.key;
    ++index;
  }
  return out;
}

std::string reason_of(unsigned long code) {
  // A failed system call (fopen of a missing file, say) queues its errno.
  if (ERR_SYSTEM_ERROR(code)) return errno_text(ERR_GET_REASON(code));
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char text[256] = {};
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

std::string ip_text(const ASN1_OCTET_STRING* address) {
  char text[INET6_ADDRSTRLEN] = {};
  const int length = ASN1_STRING_length(address);
  const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
  if (family == 0 ||
      ::inet_ntop(family, ASN1_STRING_get0_data(address), text, sizeof text) == nullptr)
    return "(an IP address)";
  return text;
}

std::string text_of(const ASN1_STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<std::size_t>(ASN1_STRING_length(text)));
}

struct NamesDeleter {
  void operator()(GENERAL_NAMES* names) const noexcept { GENERAL_NAMES_free(names); }
};

}  // namespace

std::string setting_hint(std::string_view role, std::initializer_list<TlsSetting> settings) {
  if (role.empty()) return "use " + join(settings, false, role);
  return "use " + join(settings, true, role) + " (" + join(settings, false, role) +
         " in a pipeline)";
}

std::string take_openssl_error() {
  const unsigned long code = ERR_peek_error();
  ERR_clear_error();
  return code == 0 ? "unknown error" : reason_of(code);
}

std::string certificate_names(X509* certificate) {
  if (certificate == nullptr) return "";
  std::string out;
  int count = 0;
  const auto add = [&](const std::string& name) {
    if (++count <= kMaxNamesShown) out += (out.empty() ? "" : ", ") + name;
  };
  const std::unique_ptr<GENERAL_NAMES, NamesDeleter> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) add(text_of(name->d.dNSName));
    if (name->type == GEN_IPADD) add(ip_text(name->d.iPAddress));
  }
  if (count > kMaxNamesShown) out += ", ...";
  if (!out.empty()) return out;
  // No alternative names: clients then fall back to the common name.
  X509_NAME* subject = X509_get_subject_name(certificate);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return "";
  return text_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
}

}  // namespace riot::redis::detail
