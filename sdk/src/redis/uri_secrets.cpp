// What counts as a secret is judged generously, from what the text looks
// like rather than from a successful parse: the text is often malformed (that
// is why it is quoted), and showing a few bytes too few costs nothing.

#include "redis/uri_secrets.hpp"

#include <algorithm>
#include <functional>

namespace riot::redis::detail {
namespace {

constexpr auto npos = std::string_view::npos;
constexpr std::string_view kSchemeSeparator = "://";
constexpr std::string_view kMask = "***";

bool is_socket_scheme(std::string_view scheme) {
  const auto equals = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return (x | 0x20) == (y | 0x20); });
  };
  return equals(scheme, "redis-socket") || equals(scheme, "unix");
}

// A query parameter that carries a password, however it is spelled
// ("password", "pass", "Password", "auth_pass"...).
bool names_a_password(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  return lower.find("pass") != std::string::npos || lower == "pwd" || lower == "auth";
}

void mark(std::vector<bool>& secret, std::size_t begin, std::size_t end) {
  std::fill(secret.begin() + static_cast<std::ptrdiff_t>(begin),
            secret.begin() + static_cast<std::ptrdiff_t>(end), true);
}

// [user]:password@ or password@ (as redis-cli reads a user-info without ':').
// The last '@' ends it, as the parser reads an unescaped '@' in a password.
void mark_user_info(std::string_view text, std::vector<bool>& secret) {
  const auto separator = text.find(kSchemeSeparator);
  const std::size_t authority = separator == npos ? 0 : separator + kSchemeSeparator.size();
  const auto at = text.rfind('@');
  if (at == npos || at < authority) return;
  const std::string_view user_info = text.substr(authority, at - authority);
  // A socket path may hold an '@' ("unix:///tmp/a@b.sock"): no user-info there.
  if (separator != npos && is_socket_scheme(text.substr(0, separator)) &&
      user_info.starts_with('/'))
    return;
  const auto colon = user_info.find(':');
  const std::size_t begin = colon == npos ? authority : authority + colon + 1;
  mark(secret, begin, at);
}

// ?password=P or &password=P, in a socket URI where it belongs or in any
// other where it does not.
void mark_query_passwords(std::string_view text, std::vector<bool>& secret) {
  for (auto start = text.find_first_of("?&"); start != npos;
       start = text.find_first_of("?&", start + 1)) {
    const auto equals = text.find('=', start + 1);
    if (equals == npos) return;
    const auto end = std::min(text.find_first_of("&#", equals + 1), text.size());
    if (text.find_first_of("?&", start + 1) < equals) continue;  // "?flag&password=..."
    if (names_a_password(text.substr(start + 1, equals - start - 1))) mark(secret, equals + 1, end);
  }
}

}  // namespace

UriSecrets::UriSecrets(std::string_view text) : text_(text), secret_(text.size(), false) {
  mark_user_info(text_, secret_);
  mark_query_passwords(text_, secret_);
}

std::string UriSecrets::shown(std::string_view part) const {
  const std::less_equal<const char*> not_after;
  if (!not_after(text_.data(), part.data()) ||
      !not_after(part.data() + part.size(), text_.data() + text_.size()))
    return std::string(part);
  const auto offset = static_cast<std::size_t>(part.data() - text_.data());
  std::string out;
  out.reserve(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (!secret_[offset + i]) {
      out += part[i];
    } else if (i == 0 || !secret_[offset + i - 1]) {
      out += kMask;
    }
  }
  return out;
}

}  // namespace riot::redis::detail
