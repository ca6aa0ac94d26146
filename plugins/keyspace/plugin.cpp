// The "keyspace" plugin: registers source.keyspace.

#include "riot/plugin.hpp"

#include <memory>

#include "keyspace_source.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/retry.hpp"

namespace riot::keyspace_plugin {
namespace {

nlohmann::json config_schema() {
  nlohmann::json properties;
  const KeyspaceOptions defaults;
  properties["match"] = {
      {"type", "string"},
      {"default", defaults.match},
      {"description",
       "Glob-style pattern of the keys followed: PSUBSCRIBE __keyspace@<db>__:<match>, the "
       "database being the URI's."}};
  properties["key_slots"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Only keys whose cluster slot lies in these ranges, e.g. \"0:5460,10923:16383\" (computed "
       "from each key, so it applies to a single server too). Absent: every slot."}};
  properties["flush_interval_ms"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"maximum", 60000},
      {"default", defaults.flush_interval.count()},
      {"description",
       "The longest the source holds keys it has read before handing them on, in milliseconds. "
       "Keys go at once whenever nothing more is waiting on the sockets."}};
  properties["check_notifications"] = {
      {"type", "boolean"},
      {"default", defaults.check_notifications},
      {"description",
       "Refuse to start when a server's notify-keyspace-events lacks the flags live replication "
       "needs (K and A). A server that refuses CONFIG is only warned about."}};
  properties.update(RetryOptions::schema_properties());
  return redis::ConnectionOptions::component_schema(std::move(properties));
}

std::unique_ptr<KeyspaceSource> create(KeyspaceSettings settings, HostContext& host) {
  return std::make_unique<KeyspaceSource>(std::move(settings), host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "keyspace",
      RIOT_PLUGIN_VERSION,
      {component_with_settings(
          "source.keyspace",
          "Follows the changes of one database through keyspace notifications (PSUBSCRIBE); on a "
          "cluster, on every master. Emits each changed key until the run finishes.",
          config_schema(), &parse_settings, &create)}};
  return &descriptor;
}

}  // namespace riot::keyspace_plugin

RIOT_PLUGIN(riot::keyspace_plugin::describe)
