#pragma once
// Percent-encoding (RFC 3986) of the parts of a Redis URI that users may need
// to escape: user names, passwords and socket paths.

#include <optional>
#include <string>
#include <string_view>

namespace riot::redis::detail {

// Decodes %XX escapes; nullopt when an escape is malformed ("%4", "%zz").
std::optional<std::string> percent_decode(std::string_view text);

// Escapes every byte outside RFC 3986's unreserved set and `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = {});

}  // namespace riot::redis::detail
