// The "transform" plugin: transform.key_filter (--key-include,
// --key-exclude) and transform.key_rename (--key-process).

#include "riot/plugin.hpp"

#include <memory>
#include <stdexcept>

#include "key_transforms.hpp"

namespace riot::transform_plugin {
namespace {

using nlohmann::json;

json filter_schema() {
  const json regexes{
      {"type", "array"}, {"items", {{"type", "string"}}}, {"default", json::array()}};
  json include = regexes;
  include["description"] =
      "Regular expressions (RE2, whole key, byte-wise): a key is taken when it matches one; "
      "none: every key";
  json exclude = regexes;
  exclude["description"] = "Regular expressions: a key matching one is left out";
  return {{"type", "object"},
          {"properties", {{"include", include}, {"exclude", exclude}}},
          {"additionalProperties", false}};
}

json rename_schema() {
  return {{"type", "object"},
          {"properties",
           {{"expression",
             {{"type", "string"},
              {"description",
               "The target key: a template holding #{key} (new:#{key}) or a substitution "
               "s/REGEX/REPLACEMENT/[g] with groups \\1..\\9"}}}}},
          {"required", {"expression"}},
          {"additionalProperties", false}};
}

KeySelection parse_filter(const json& config) {
  return KeySelection(config.at("include").get<std::vector<std::string>>(),
                      config.at("exclude").get<std::vector<std::string>>());
}

KeyRenaming parse_rename(const json& config) {
  try {
    return KeyRenaming::parse(config.at("expression").get<std::string>());
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("expression: ") + error.what());
  }
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "transform",
      RIOT_PLUGIN_VERSION,
      {component_with_settings(
           "transform.key_filter",
           "Selects keys by regular expressions: include (any matches) and exclude (none "
           "matches), each over the whole key.",
           filter_schema(), &parse_filter,
           [](KeySelection selection, HostContext&) {
             return std::make_unique<KeyFilterTransform>(std::move(selection));
           }),
       component_with_settings(
           "transform.key_rename",
           "Names keys on the target: a template new:#{key} or a substitution s/REGEX/REPL/.",
           rename_schema(), &parse_rename, [](KeyRenaming renaming, HostContext&) {
             return std::make_unique<KeyRenameTransform>(std::move(renaming));
           })}};
  return &descriptor;
}

}  // namespace riot::transform_plugin

RIOT_PLUGIN(riot::transform_plugin::describe)
