#pragma once
// Regular expressions over keys: RE2 (linear time, no recursion, so a
// regex cannot blow the stack or hang on a hostile key), in Latin-1 mode so
// that every byte of a binary key (NUL, CR/LF, 0xff) is one character, and
// with `.` matching any byte, newlines included.

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace riot::transform_plugin {

// Compiles `pattern`, or throws std::invalid_argument saying what RE2 found
// wrong and where: `invalid regular expression "a(b": missing ): at
// position 1 ("(b")`.
std::shared_ptr<const re2::RE2> compile_key_regex(std::string_view pattern);

// Whether the whole of `key` matches (RIOT's key filters match the whole
// key: `user:.*`, not `user:`).
bool matches_whole(const re2::RE2& regex, std::string_view key);

}  // namespace riot::transform_plugin
