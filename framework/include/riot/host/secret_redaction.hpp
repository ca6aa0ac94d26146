#pragma once
// Secrets out of what riot shows: the run report's copy of the document,
// error texts. One place decides what a secret is, so that every output
// hides the same things.
//
// A secret is the string value of a configuration key that names one
// (password, key_password, sentinel_password, ...: see is_secret_key), and
// the password inside a URI (redis://user:PASS@host, or a lone user-info,
// which Redis URIs read as the password; ?password=PASS in the query). A
// reference to where a secret is ({"$env": NAME}, {"$file": PATH}: an
// object in place of the string) is no secret and stays.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace riot::host {

// What stands where a secret was.
inline constexpr std::string_view kRedacted = "<redacted>";

// Whether a key (of a JSON object or a URI's query) names a secret: it is,
// or ends with, password, pass, passphrase, secret or token, in any case.
bool is_secret_key(std::string_view key);

// `text` with the password of every URI in it replaced (user info, and
// secret query parameters); the rest unchanged. Works on free text too (an
// error message quoting a URI).
std::string redact_uris(std::string_view text);

// A copy of `document` with every secret replaced by kRedacted: the string
// values of secret keys, at any depth, and the passwords of URIs in every
// other string.
nlohmann::json redact_secrets(const nlohmann::json& document);

}  // namespace riot::host
