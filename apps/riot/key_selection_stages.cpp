#include "key_selection_stages.hpp"

#include <string>
#include <utility>

namespace riot::app {

namespace {

using nlohmann::json;

constexpr std::string_view kEveryKey = "*";

json key_filter(std::vector<std::string> include, std::vector<std::string> exclude) {
  return {{"component", "transform.key_filter"},
          {"config", {{"include", std::move(include)}, {"exclude", std::move(exclude)}}}};
}

// Outside a character class, everything but * and ? is literal.
void append_literal(std::string& regex, char c) {
  static constexpr std::string_view kSpecial = "\\.+*?()|[]{}^$";
  if (kSpecial.find(c) != std::string_view::npos) regex += '\\';
  regex += c;
}

}  // namespace

std::string glob_to_regex(std::string_view glob) {
  std::string regex;
  for (std::size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (c == '*') {
      regex += ".*";
    } else if (c == '?') {
      regex += '.';
    } else if (c == '\\' && i + 1 < glob.size()) {
      append_literal(regex, glob[++i]);
    } else if (c == '[' && glob.find(']', i + 1) != std::string_view::npos) {
      const std::size_t end = glob.find(']', i + 1);
      regex += '[';
      std::string_view inside = glob.substr(i + 1, end - i - 1);
      if (!inside.empty() && inside[0] == '^') {
        regex += '^';
        inside.remove_prefix(1);
      }
      for (const char member : inside) {
        if (member == '\\' || member == '[' || member == ']') regex += '\\';
        regex += member;
      }
      regex += ']';
      i = end;
    } else {
      append_literal(regex, c);
    }
  }
  return regex;
}

json key_transform_stages(const ReplicateOptions& options) {
  const KeySelectionOptions& keys = options.keys;
  json stages = json::array();
  if (keys.filters()) stages.push_back(key_filter(keys.include, keys.exclude));
  // The target walk cannot use SCAN MATCH on renamed keys (adapt_target_walk):
  // the pattern selects the keys mapped back instead.
  if (keys.renames() && options.key_pattern != kEveryKey)
    stages.push_back(key_filter({glob_to_regex(options.key_pattern)}, {}));
  if (keys.renames()) {
    stages.push_back(
        {{"component", "transform.key_rename"}, {"config", {{"expression", *keys.process}}}});
  }
  return stages;
}

json with_key_transforms(json stages, const ReplicateOptions& options) {
  json transforms = key_transform_stages(options);
  if (!transforms.empty()) stages["transforms"] = std::move(transforms);
  return stages;
}

void adapt_target_walk(json& scan_config, const ReplicateOptions& options) {
  if (!options.keys.renames()) return;
  scan_config["match"] = std::string(kEveryKey);
  scan_config.erase("key_slots");
}

}  // namespace riot::app
