// The "dump" plugin: registers codec.dump.

#include "riot/plugin.hpp"

#include <memory>

#include "dump_reader.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::dump_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties = DumpOptions::schema_properties();
  properties["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

struct DumpSettings {
  redis::ClientOptions client;
  DumpOptions dump;
  RetryOptions retry;
};

// What `riot validate` checks and the factory uses: one parse for both.
DumpSettings parse_settings(const nlohmann::json& config) {
  return {redis::ClientOptions::from_config(config, "source"), DumpOptions::from_config(config),
          RetryOptions::from_config(config)};
}

std::unique_ptr<DumpReader> create(DumpSettings settings, HostContext& host) {
  // Each worker has its own number: on a cluster, workers reading from
  // replicas spread over them, and only the first says in the log what the
  // client found.
  settings.client.spread = host.instance();
  const bool first = settings.client.spread == 0;
  auto component =
      std::make_unique<DumpReader>(std::move(settings.client), settings.dump, settings.retry, host);
  log_client_mode(host.logger(), component->client(), first);
  host.report_endpoint(EndpointUse::read, component->client().identity());
  return component;
}

}  // namespace

const PluginDescriptor* describe() {
  // Value records: strings read by GET, big keys read in chunks by type.
  static const PluginDescriptor descriptor{
      "dump",
      RIOT_PLUGIN_VERSION,
      {producing(component_with_settings(
                     "codec.dump",
                     "Reads each key as its DUMP serialization and its time to live (DUMP, PTTL); "
                     "strings by GET, big keys skipped or read in chunks by type.",
                     config_schema(), &parse_settings, &create),
                 {RecordKind::dump, RecordKind::value, RecordKind::erase})}};
  return &descriptor;
}

}  // namespace riot::dump_plugin

RIOT_PLUGIN(riot::dump_plugin::describe)
