// The "restore" plugin: registers sink.restore.

#include "riot/plugin.hpp"

#include <memory>

#include "restore_sink.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::restore_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  properties["replace"] = {
      {"type", "boolean"},
      {"default", true},
      {"description",
       "Overwrite keys the target already holds (RESTORE ... REPLACE). When false, such a key "
       "fails with BUSYKEY and is reported."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

std::unique_ptr<Sink> create(const nlohmann::json& config, HostContext& host) {
  return std::make_unique<RestoreSink>(redis::ConnectionOptions::from_config(config, "target"),
                                       RestoreOptions::from_config(config),
                                       RetryOptions::from_config(config), host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "restore",
      RIOT_PLUGIN_VERSION,
      {ComponentInfo{
          "sink.restore",
          "Writes dump records with RESTORE ... ABSTTL and deletes erased keys with DEL.",
          config_schema(), SinkFactory(&create)}}};
  return &descriptor;
}

}  // namespace riot::restore_plugin

RIOT_PLUGIN(riot::restore_plugin::describe)
