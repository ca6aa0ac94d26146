#pragma once
// Building the JSON pointers (RFC 6901) that locate validation errors.

#include <cstddef>
#include <string>
#include <string_view>

namespace riot::host {

// `parent` + "/" + `key`, with "~" and "/" in the key escaped as "~0" and "~1"
// so that a key such as "a/b" stays one reference token.
inline std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string pointer(parent);
  pointer += '/';
  for (const char c : key) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
  return pointer;
}

inline std::string child_pointer(std::string_view parent, std::size_t index) {
  return std::string(parent) + '/' + std::to_string(index);
}

}  // namespace riot::host
