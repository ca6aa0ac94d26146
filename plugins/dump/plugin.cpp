// The "dump" plugin: registers codec.dump.

#include "riot/plugin.hpp"

#include <memory>

#include "dump_reader.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::dump_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  properties["read_type"] = {{"type", "boolean"},
                             {"default", false},
                             {"description", "Also read each key's type (TYPE) into its record."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

std::unique_ptr<Reader> create(const nlohmann::json& config, HostContext& host) {
  return std::make_unique<DumpReader>(redis::ConnectionOptions::from_config(config, "source"),
                                      DumpOptions::from_config(config),
                                      RetryOptions::from_config(config), host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "dump",
      RIOT_PLUGIN_VERSION,
      {ComponentInfo{"codec.dump",
                     "Reads each key as its DUMP serialization and absolute expiry (DUMP, PTTL).",
                     config_schema(), ReaderFactory(&create)}}};
  return &descriptor;
}

}  // namespace riot::dump_plugin

RIOT_PLUGIN(riot::dump_plugin::describe)
