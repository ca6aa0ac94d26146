#include "key_selection.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

namespace riot::transform_plugin {

namespace {

std::vector<std::shared_ptr<const re2::RE2>> compile_all(const std::vector<std::string>& patterns,
                                                         const char* list) {
  std::vector<std::shared_ptr<const re2::RE2>> compiled;
  compiled.reserve(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    try {
      compiled.push_back(compile_key_regex(patterns[i]));
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(std::string(list) + "[" + std::to_string(i) +
                                  "]: " + error.what());
    }
  }
  return compiled;
}

bool any_matches(const std::vector<std::shared_ptr<const re2::RE2>>& regexes,
                 std::string_view key) {
  return std::any_of(regexes.begin(), regexes.end(),
                     [key](const auto& regex) { return matches_whole(*regex, key); });
}

}  // namespace

KeySelection::KeySelection(const std::vector<std::string>& include,
                           const std::vector<std::string>& exclude)
    : include_(compile_all(include, "include")), exclude_(compile_all(exclude, "exclude")) {}

bool KeySelection::selects(std::string_view key) const {
  if (!include_.empty() && !any_matches(include_, key)) return false;
  return !any_matches(exclude_, key);
}

}  // namespace riot::transform_plugin
