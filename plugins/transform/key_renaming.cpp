#include "key_renaming.hpp"

#include <re2/re2.h>

#include <cctype>
#include <stdexcept>
#include <vector>

#include "key_regex.hpp"

namespace riot::transform_plugin {

namespace {

constexpr std::string_view kKeyPlaceholder = "#{key}";
constexpr std::string_view kForms =
    "expected a template holding #{key} (new:#{key}) or a substitution s/REGEX/REPLACEMENT/";

std::invalid_argument refused(std::string_view expression, const std::string& why) {
  return std::invalid_argument("key expression \"" + std::string(expression) + "\": " + why);
}

bool is_substitution(std::string_view expression) {
  if (expression.size() < 2 || expression[0] != 's') return false;
  const auto delimiter = static_cast<unsigned char>(expression[1]);
  return std::ispunct(delimiter) != 0 && delimiter != '\\' && delimiter != '#';
}

// The parts of s/REGEX/REPLACEMENT/FLAGS between unescaped delimiters; an
// escaped delimiter loses its backslash, other escapes stay for RE2.
std::vector<std::string> split_substitution(std::string_view expression) {
  const char delimiter = expression[1];
  std::vector<std::string> parts(1);
  for (std::size_t i = 2; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '\\' && i + 1 < expression.size()) {
      if (expression[i + 1] != delimiter) parts.back() += c;
      parts.back() += expression[++i];
    } else if (c == delimiter) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

bool is_literal(std::string_view text, std::string_view special) {
  return text.find_first_of(special) == std::string_view::npos;
}

bool starts_with(std::string_view key, std::string_view prefix) {
  return key.substr(0, prefix.size()) == prefix;
}

}  // namespace

KeyRenaming KeyRenaming::parse(std::string_view expression) {
  KeyRenaming renaming;
  if (is_substitution(expression)) {
    const std::vector<std::string> parts = split_substitution(expression);
    if (parts.size() != 3)
      throw refused(expression, "a substitution has three delimiters: s/REGEX/REPLACEMENT/");
    if (parts[2] != "" && parts[2] != "g")
      throw refused(expression, "unknown flags \"" + parts[2] + "\" (only g: every match)");
    if (parts[0].empty()) throw refused(expression, "the regular expression is empty");
    try {
      renaming.regex_ = compile_key_regex(parts[0]);
    } catch (const std::invalid_argument& error) {
      throw refused(expression, error.what());
    }
    std::string problem;
    if (!renaming.regex_->CheckRewriteString(parts[1], &problem))
      throw refused(expression, "replacement \"" + parts[1] + "\": " + problem);
    if (parts[0][0] == '^' && is_literal(parts[0].substr(1), "\\.+*?()|[]{}^$") &&
        is_literal(parts[1], "\\")) {
      renaming.form_ = Form::prefix_swap;
      renaming.from_ = parts[0].substr(1);
      renaming.prefix_ = parts[1];
      return renaming;
    }
    renaming.form_ = Form::substitution;
    renaming.rewrite_ = parts[1];
    renaming.global_ = parts[2] == "g";
    return renaming;
  }
  // Every #{...} of a template must be #{key}: name the first that is not
  // (RIOT's SpEL offers more, such as #{type}, which a renaming cannot use).
  for (std::size_t at = expression.find("#{"); at != std::string_view::npos;
       at = expression.find("#{", at + 2)) {
    const std::string_view part = expression.substr(at, expression.find('}', at) - at + 1);
    if (part != kKeyPlaceholder)
      throw refused(expression,
                    "unsupported " + std::string(part) + ": a template may only hold #{key}");
  }
  const std::size_t placeholder = expression.find(kKeyPlaceholder);
  if (placeholder == std::string_view::npos) throw refused(expression, std::string(kForms));
  renaming.prefix_ = expression.substr(0, placeholder);
  renaming.suffix_ = expression.substr(placeholder + kKeyPlaceholder.size());
  if (renaming.suffix_.find(kKeyPlaceholder) != std::string::npos)
    throw refused(expression, "a template holds #{key} once");
  return renaming;
}

void KeyRenaming::rename(std::string& key) const {
  switch (form_) {
    case Form::affix:
      key.insert(0, prefix_);
      key += suffix_;
      return;
    case Form::prefix_swap:
      if (starts_with(key, from_)) key.replace(0, from_.size(), prefix_);
      return;
    case Form::substitution:
      if (global_) {
        re2::RE2::GlobalReplace(&key, *regex_, rewrite_);
      } else {
        re2::RE2::Replace(&key, *regex_, rewrite_);
      }
      return;
  }
}

KeyInverse KeyRenaming::unmap(std::string& key) const {
  switch (form_) {
    case Form::affix:
      if (key.size() < prefix_.size() + suffix_.size() || !starts_with(key, prefix_) ||
          std::string_view(key).substr(key.size() - suffix_.size()) != suffix_) {
        return KeyInverse::outside;
      }
      key.erase(key.size() - suffix_.size());
      key.erase(0, prefix_.size());
      return KeyInverse::mapped;
    case Form::prefix_swap:
      // A renamed key first (should a source key also be named so, both
      // land on one target key: the renaming is not one to one there).
      if (starts_with(key, prefix_)) {
        key.replace(0, prefix_.size(), from_);
        return KeyInverse::mapped;
      }
      // A key without the prefix keeps its name, so it never starts with it.
      return from_.empty() || starts_with(key, from_) ? KeyInverse::outside : KeyInverse::mapped;
    case Form::substitution:
      break;
  }
  return KeyInverse::outside;  // not invertible: the host does not ask
}

}  // namespace riot::transform_plugin
