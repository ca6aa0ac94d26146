#pragma once
// Which keys a pipeline takes: a key is taken when it matches some include
// regex (or none is given) and no exclude regex, each matched against the
// whole key (RIOT's --key-include / --key-exclude).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "key_regex.hpp"

namespace riot::transform_plugin {

class KeySelection {
 public:
  // Throws std::invalid_argument naming the regex at fault and its list
  // ("include[1]: invalid regular expression ...").
  KeySelection(const std::vector<std::string>& include, const std::vector<std::string>& exclude);

  bool selects(std::string_view key) const;

 private:
  std::vector<std::shared_ptr<const re2::RE2>> include_;
  std::vector<std::shared_ptr<const re2::RE2>> exclude_;
};

}  // namespace riot::transform_plugin
