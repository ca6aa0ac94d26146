// The "null" plugin: registers sink.null, the dry run.

#include "riot/plugin.hpp"

#include <memory>

#include "null_sink.hpp"

namespace riot::null_plugin {
namespace {

nlohmann::json config_schema() {
  return {{"type", "object"},
          {"properties", nlohmann::json::object()},
          {"additionalProperties", false}};
}

std::unique_ptr<Sink> create(const nlohmann::json& /*config*/, HostContext& host) {
  return std::make_unique<NullSink>(host);
}

}  // namespace

const PluginDescriptor* describe() {
  static const PluginDescriptor descriptor{
      "null",
      RIOT_PLUGIN_VERSION,
      {accepting(ComponentInfo{"sink.null",
                               "Dry run: counts records and drops them (counted as written, "
                               "writes nothing).",
                               config_schema(), SinkFactory(&create)},
                 RecordForms::all())}};
  return &descriptor;
}

}  // namespace riot::null_plugin

RIOT_PLUGIN(riot::null_plugin::describe)
