// The "scan" plugin: registers source.scan.

#include "riot/plugin.hpp"

#include <memory>

#include "riot/redis/client.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"
#include "scan_source.hpp"

namespace riot::scan_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  const ScanOptions defaults;
  properties["match"] = {{"type", "string"},
                         {"default", defaults.match},
                         {"description", "Glob-style pattern of the keys to scan (SCAN MATCH)."}};
  properties["type"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream, or a module "
       "type name such as ReJSON-RL. Absent: every type."}};
  properties["count"] = {{"type", "integer"},
                         {"minimum", 1},
                         {"default", defaults.count},
                         {"description", "Keys the server examines per SCAN call (SCAN COUNT)."}};
  properties["key_slots"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Only keys whose cluster slot lies in these ranges, e.g. \"0:5460,10923:16383\" (computed "
       "from each key, so it applies to a single server too). Absent: every slot."}};
  properties["side"] = {
      {"type", "string"},
      {"enum", {"source", "target"}},
      {"default", defaults.side},
      {"description",
       "Which side of the replication the walk reads, as messages name it: \"target\" for the "
       "reconciliation pass that looks for keys only the target holds."}};
  properties["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

struct ScanSettings {
  redis::ClientOptions client;
  ScanOptions scan;
  RetryOptions retry;
};

// What `riot validate` checks and the factory uses: one parse for both.
ScanSettings parse_settings(const nlohmann::json& config) {
  ScanOptions scan = scan_options_from_config(config);
  return {redis::ClientOptions::from_config(config, scan.side), std::move(scan),
          RetryOptions::from_config(config)};
}

std::unique_ptr<ScanSource> create(ScanSettings settings, HostContext& host) {
  return std::make_unique<ScanSource>(std::move(settings.client), std::move(settings.scan),
                                      settings.retry, host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "scan",
      RIOT_PLUGIN_VERSION,
      {component_with_settings(
          "source.scan",
          "Emits the keys of one database, walked with SCAN (MATCH, TYPE, COUNT); on a cluster, "
          "every shard in parallel.",
          config_schema(), &parse_settings, &create)}};
  return &descriptor;
}

}  // namespace riot::scan_plugin

RIOT_PLUGIN(riot::scan_plugin::describe)
