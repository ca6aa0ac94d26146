#include "riot/host/secret_redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace riot::host {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Where a URI's authority ends: at its path, query or fragment, or where the
// surrounding text goes on (space, quote, bracket).
bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || std::isspace(static_cast<unsigned char>(c)) ||
         c == '"' || c == '\'' || c == '>' || c == ')' || c == ']';
}

bool ends_query_value(char c) {
  return c == '&' || c == '#' || std::isspace(static_cast<unsigned char>(c)) || c == '"' ||
         c == '\'' || c == '>' || c == ')' || c == ']';
}

// The user info of the URI whose authority starts at `start`: the password
// part (after the first colon), or all of it without a colon.
void redact_user_info(std::string& out, std::string_view text, std::size_t& at) {
  std::size_t end = at;
  while (end < text.size() && !ends_authority(text[end])) ++end;
  const std::size_t user_info_end = text.substr(at, end - at).rfind('@');
  if (user_info_end == std::string_view::npos) return;
  const std::string_view user_info = text.substr(at, user_info_end);
  const std::size_t colon = user_info.find(':');
  if (colon == std::string_view::npos) {
    out += kRedacted;  // a lone user info is the password
  } else {
    out += user_info.substr(0, colon + 1);
    out += kRedacted;
  }
  at += user_info_end;  // the '@' comes next
}

// A query parameter's value, when its name is a secret's.
void redact_query(std::string& out, std::string_view text, std::size_t& at) {
  while (at < text.size() && (text[at] == '?' || text[at] == '&')) {
    out += text[at++];
    const std::size_t equals = text.find('=', at);
    std::size_t end = at;
    while (end < text.size() && !ends_query_value(text[end])) ++end;
    if (equals == std::string_view::npos || equals >= end) {
      out += text.substr(at, end - at);
      at = end;
      continue;
    }
    const std::string_view name = text.substr(at, equals - at);
    out += text.substr(at, equals + 1 - at);
    out += is_secret_key(name) ? kRedacted : text.substr(equals + 1, end - equals - 1);
    at = end;
  }
}

}  // namespace

bool is_secret_key(std::string_view key) {
  const std::string name = lower(key);
  static constexpr std::array<std::string_view, 5> kSecretEndings{"password", "pass", "passphrase",
                                                                  "secret", "token"};
  return std::any_of(kSecretEndings.begin(), kSecretEndings.end(),
                     [&](std::string_view ending) { return ends_with(name, ending); });
}

std::string redact_uris(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t scheme_end = text.find("://", at);
    if (scheme_end == std::string_view::npos) break;
    out += text.substr(at, scheme_end + 3 - at);
    at = scheme_end + 3;
    redact_user_info(out, text, at);
    // The rest of the authority and the path, as they are; then the query.
    while (at < text.size() && text[at] != '?' && !ends_query_value(text[at])) out += text[at++];
    redact_query(out, text, at);
  }
  out += text.substr(std::min(at, text.size()));
  return out;
}

nlohmann::json redact_secrets(const nlohmann::json& document) {
  if (document.is_string()) return redact_uris(document.get_ref<const std::string&>());
  if (document.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const nlohmann::json& item : document) out.push_back(redact_secrets(item));
    return out;
  }
  if (!document.is_object()) return document;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : document.items()) {
    out[key] =
        value.is_string() && is_secret_key(key) ? nlohmann::json(kRedacted) : redact_secrets(value);
  }
  return out;
}

}  // namespace riot::host
