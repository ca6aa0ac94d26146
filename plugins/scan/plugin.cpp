// The "scan" plugin: registers source.scan.

#include "riot/plugin.hpp"

#include <memory>

#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"
#include "scan_source.hpp"

namespace riot::scan_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  properties["match"] = {{"type", "string"},
                         {"default", kDefaultMatch},
                         {"description", "Glob-style pattern of the keys to scan (SCAN MATCH)."}};
  properties["type"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream, or a module "
       "type name such as ReJSON-RL. Absent: every type."}};
  properties["count"] = {{"type", "integer"},
                         {"minimum", 1},
                         {"default", kDefaultCount},
                         {"description", "Keys the server examines per SCAN call (SCAN COUNT)."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

std::unique_ptr<Source> create(const nlohmann::json& config, HostContext& host) {
  return std::make_unique<ScanSource>(redis::ConnectionOptions::from_config(config, "source"),
                                      ScanOptions::from_config(config),
                                      RetryOptions::from_config(config), host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "scan",
      RIOT_PLUGIN_VERSION,
      {ComponentInfo{"source.scan",
                     "Emits the keys of one database, walked with SCAN (MATCH, TYPE, COUNT).",
                     config_schema(), SourceFactory(&create)}}};
  return &descriptor;
}

}  // namespace riot::scan_plugin

RIOT_PLUGIN(riot::scan_plugin::describe)
