// The "stream" plugin: registers datatype.stream, which struct readers and
// sinks find through HostContext::datatype("stream").

#include "riot/plugin.hpp"

#include <memory>

#include "stream_datatype.hpp"

namespace riot::stream_plugin {
namespace {

nlohmann::json config_schema() {
  return {{"type", "object"},
          {"properties", nlohmann::json::object()},
          {"additionalProperties", false}};
}

std::unique_ptr<Datatype> create(const nlohmann::json& /*config*/, HostContext& host) {
  return std::make_unique<StreamDatatype>(host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "stream",
      RIOT_PLUGIN_VERSION,
      {ComponentInfo{datatype_component_name("stream"),
                     "Streams by type: entries with their ids, the last id, consumer groups, "
                     "consumers and pending entries; whole or in chunks (XRANGE).",
                     config_schema(), DatatypeFactory(&create), /*check=*/nullptr,
                     /*produces=*/{}, /*accepts=*/{}}}};
  return &descriptor;
}

}  // namespace riot::stream_plugin

RIOT_PLUGIN(riot::stream_plugin::describe)
