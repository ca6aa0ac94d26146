// The "restore" plugin: registers sink.restore.

#include "riot/plugin.hpp"

#include <memory>

#include "restore_sink.hpp"
#include "riot/redis/client.hpp"
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
       "is left as it is (BUSYKEY) and counted as left alone, not as a failure."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

struct RestoreSettings {
  redis::ClientOptions client;
  RestoreOptions restore;
  RetryOptions retry;
};

// What `riot validate` checks and the factory uses: one parse for both.
RestoreSettings parse_settings(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "target"), RestoreOptions::from_config(config),
          RetryOptions::from_config(config)};
}

std::unique_ptr<RestoreSink> create(RestoreSettings settings, HostContext& host) {
  // Each worker has its own number: only the first says in the log what the
  // client found.
  settings.client.spread = host.instance();
  // A target user may be allowed RESTORE only: its cluster probe.
  settings.client.probe = redis::cluster::KeyProbe::restore();
  const bool first = settings.client.spread == 0;
  auto component = std::make_unique<RestoreSink>(std::move(settings.client), settings.restore,
                                                 settings.retry, host);
  log_client_mode(host.logger(), component->client(), first);
  host.report_endpoint(EndpointUse::write, component->client().identity());
  return component;
}

}  // namespace

const PluginDescriptor* describe() {
  // Value records are what codec.dump makes of strings read by GET and of
  // big keys read in chunks by type.
  static const PluginDescriptor descriptor{
      "restore",
      RIOT_PLUGIN_VERSION,
      {accepting(
          component_with_settings(
              "sink.restore",
              "Writes dump records with RESTORE (the time left to live), value records "
              "through their datatypes (strings with SET), and deletes erased keys with DEL.",
              config_schema(), &parse_settings, &create),
          {RecordKind::dump, RecordKind::value, RecordKind::erase})}};
  return &descriptor;
}

}  // namespace riot::restore_plugin

RIOT_PLUGIN(riot::restore_plugin::describe)
