#pragma once
// The plugin boundary.
//
// A plugin is a shared object exporting one symbol, `riot_plugin_v1` (declared
// with RIOT_PLUGIN below), that returns a PluginHeader. The header is a plain C
// struct so that the host can read the SDK version and build tag of any plugin,
// however it was built, before touching a single C++ type. Only when both match
// does the host call describe() to get the C++ PluginDescriptor.

#include <boost/dll/alias.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "riot/components.hpp"
#include "riot/datatype.hpp"
#include "riot/host_context.hpp"
#include "riot/key_transform.hpp"
#include "riot/version.hpp"

namespace riot {

// In the order of ComponentFactory's alternatives.
enum class ComponentKind { source, reader, sink, datatype, comparator, transform };
std::string_view to_string(ComponentKind kind);

// Factories receive the configuration already validated against the
// component's schema, with schema defaults filled in.
using SourceFactory =
    std::function<std::unique_ptr<Source>(const nlohmann::json& config, HostContext& host)>;
using ReaderFactory =
    std::function<std::unique_ptr<Reader>(const nlohmann::json& config, HostContext& host)>;
using SinkFactory =
    std::function<std::unique_ptr<Sink>(const nlohmann::json& config, HostContext& host)>;
// A datatype's factory; its configuration is an empty object unless its
// schema allows more.
using DatatypeFactory =
    std::function<std::unique_ptr<Datatype>(const nlohmann::json& config, HostContext& host)>;
using ComparatorFactory =
    std::function<std::unique_ptr<Comparator>(const nlohmann::json& config, HostContext& host)>;
// A key transform's factory: one instance per transform stage, shared by
// every thread of the run (riot/key_transform.hpp).
using TransformFactory =
    std::function<std::unique_ptr<KeyTransform>(const nlohmann::json& config, HostContext& host)>;
using ComponentFactory = std::variant<SourceFactory, ReaderFactory, SinkFactory, DatatypeFactory,
                                      ComparatorFactory, TransformFactory>;

// The name under which the datatype of a Redis type registers:
// "datatype.hash", "datatype.ReJSON-RL".
inline std::string datatype_component_name(std::string_view type_name) {
  return "datatype." + std::string(type_name);
}

// The check of a configuration beyond what its schema can say (a URI that
// parses, TLS settings that go together, a number that fits its field):
// throws std::invalid_argument naming the key at fault. The host runs it for
// `riot validate` and `riot run` alike, before anything connects, and
// reports the message under the JSON pointer of the configuration. Receives
// the configuration as the factory does (schema-valid, defaults filled in).
using ConfigCheck = std::function<void(const nlohmann::json& config)>;

struct ComponentInfo {
  std::string name;         // "source.scan", "codec.dump", "sink.restore", ...
  std::string description;  // one line, shown by `riot plugins`
  nlohmann::json schema;    // JSON Schema of the configuration object
  ComponentFactory factory;
  ConfigCheck check = nullptr;  // optional; see component_with_settings()
  // The record forms a reader produces and a sink or comparator accepts
  // (required for all three: the host refuses a plugin whose reader, sink or
  // comparator declares none); unused for sources and datatypes.
  RecordForms produces;
  RecordForms accepts;

  ComponentKind kind() const { return static_cast<ComponentKind>(factory.index()); }
};

// A component whose check and factory share one parse function, so that the
// factory can never accept a configuration `riot validate` refuses, nor the
// reverse. `parse(config)` returns the component's settings or throws
// std::invalid_argument naming the key at fault; `build(settings, host)`
// returns a std::unique_ptr to a Source, Reader, Sink, Datatype, Comparator
// or KeyTransform, which sets the kind. Readers, sinks and comparators then declare
// their record forms with producing() / accepting() below.
template <typename Parse, typename Build>
ComponentInfo component_with_settings(std::string name, std::string description,
                                      nlohmann::json schema, Parse parse, Build build) {
  using Settings = std::invoke_result_t<Parse, const nlohmann::json&>;
  using Product = typename std::invoke_result_t<Build, Settings, HostContext&>::element_type;
  auto create = [parse, build](const nlohmann::json& config, HostContext& host) {
    return build(parse(config), host);
  };
  ComponentFactory factory;
  if constexpr (std::is_base_of_v<Source, Product>) {
    factory = SourceFactory(std::move(create));
  } else if constexpr (std::is_base_of_v<Reader, Product>) {
    factory = ReaderFactory(std::move(create));
  } else if constexpr (std::is_base_of_v<Sink, Product>) {
    factory = SinkFactory(std::move(create));
  } else if constexpr (std::is_base_of_v<Comparator, Product>) {
    factory = ComparatorFactory(std::move(create));
  } else if constexpr (std::is_base_of_v<KeyTransform, Product>) {
    factory = TransformFactory(std::move(create));
  } else {
    static_assert(std::is_base_of_v<Datatype, Product>,
                  "build must make a Source, Reader, Sink, Datatype, Comparator or KeyTransform");
    factory = DatatypeFactory(std::move(create));
  }
  return ComponentInfo{std::move(name), std::move(description), std::move(schema),
                       std::move(factory),
                       [parse](const nlohmann::json& config) { static_cast<void>(parse(config)); }};
}

// A reader's ComponentInfo with the record forms it produces:
//   producing(component_with_settings(...), {RecordKind::dump, RecordKind::erase})
inline ComponentInfo producing(ComponentInfo info, RecordForms forms) {
  info.produces = forms;
  return info;
}

// A sink's or comparator's ComponentInfo with the record forms it accepts.
inline ComponentInfo accepting(ComponentInfo info, RecordForms forms) {
  info.accepts = forms;
  return info;
}

struct PluginDescriptor {
  std::string name;     // plugin name, e.g. "core-scan"
  std::string version;  // the plugin's own version
  std::vector<ComponentInfo> components;
};

extern "C" {
// Stable C layout: never reorder or remove fields; the magic number guards
// against a foreign symbol of the same name.
struct PluginHeader {
  std::uint32_t magic;  // kPluginMagic
  std::uint32_t sdk_major;
  std::uint32_t sdk_minor;
  const char* build_tag;
  const PluginDescriptor* (*describe)();
};
}

inline constexpr std::uint32_t kPluginMagic = 0x72696f74;  // "riot"
inline constexpr const char* kPluginEntryPoint = "riot_plugin_v1";
using PluginEntryPoint = const PluginHeader*();

}  // namespace riot

// Declares the plugin's entry point. `describe_function` is a function
// `const riot::PluginDescriptor* f()` returning a descriptor that lives as long
// as the library (a function-local static). Use once per plugin, at global
// namespace scope.
#define RIOT_PLUGIN(describe_function)                                                      \
  namespace {                                                                               \
  const ::riot::PluginHeader riot_plugin_header_instance{                                   \
      ::riot::kPluginMagic, RIOT_SDK_VERSION_MAJOR, RIOT_SDK_VERSION_MINOR, RIOT_BUILD_TAG, \
      &describe_function};                                                                  \
  const ::riot::PluginHeader* riot_plugin_entry() {                                         \
    return &riot_plugin_header_instance;                                                    \
  }                                                                                         \
  }                                                                                         \
  BOOST_DLL_ALIAS(riot_plugin_entry, riot_plugin_v1)
