// The "dump" plugin: registers codec.dump.

#include "riot/plugin.hpp"

#include <atomic>
#include <memory>

#include "dump_reader.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::dump_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  properties["read_type"] = {{"type", "boolean"},
                             {"default", false},
                             {"description", "Also read each key's type (TYPE) into its record."}};
  properties["read_from"] = redis::ClientOptions::read_from_schema_property();
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

std::unique_ptr<Reader> create(const nlohmann::json& config, HostContext& host) {
  // Each worker gets its own number: on a cluster, workers reading from
  // replicas spread over them, and only the first says in the log what the
  // client found.
  static std::atomic<std::size_t> workers_created{0};
  redis::ClientOptions client = redis::ClientOptions::from_config(config, "source");
  client.spread = workers_created++;
  const bool first = client.spread == 0;
  auto component = std::make_unique<DumpReader>(std::move(client), DumpOptions::from_config(config),
                                                RetryOptions::from_config(config), host);
  log_client_mode(host.logger(), "codec.dump", component->client(), first);
  host.report_endpoint(EndpointUse::read, component->client().identity());
  return component;
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
