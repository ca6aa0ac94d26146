#pragma once
// Keys are bytes: JSON carries them as text only when they are valid UTF-8,
// otherwise as base64.

#include <string>
#include <string_view>

namespace riot::host {

bool is_valid_utf8(std::string_view bytes);

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view bytes);

}  // namespace riot::host
