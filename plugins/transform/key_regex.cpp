#include "key_regex.hpp"

#include <re2/re2.h>

#include <stdexcept>

namespace riot::transform_plugin {

namespace {

// Where RE2's error argument (the offending piece) sits in the pattern.
std::string position_of(std::string_view pattern, const std::string& piece) {
  if (piece.empty()) return {};
  const std::size_t at = pattern.find(piece);
  if (at == std::string_view::npos) return " (\"" + piece + "\")";
  return " at position " + std::to_string(at) + " (\"" + piece + "\")";
}

}  // namespace

std::shared_ptr<const re2::RE2> compile_key_regex(std::string_view pattern) {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_dot_nl(true);
  options.set_log_errors(false);  // the error goes into our message, not stderr
  auto regex =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!regex->ok()) {
    throw std::invalid_argument("invalid regular expression \"" + std::string(pattern) +
                                "\": " + regex->error() + position_of(pattern, regex->error_arg()));
  }
  return regex;
}

bool matches_whole(const re2::RE2& regex, std::string_view key) {
  return re2::RE2::FullMatch(re2::StringPiece(key.data(), key.size()), regex);
}

}  // namespace riot::transform_plugin
