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
#include <variant>
#include <vector>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/version.hpp"

namespace riot {

enum class ComponentKind { source, reader, sink };
std::string_view to_string(ComponentKind kind);

// Factories receive the configuration already validated against the
// component's schema, with schema defaults filled in.
using SourceFactory =
    std::function<std::unique_ptr<Source>(const nlohmann::json& config, HostContext& host)>;
using ReaderFactory =
    std::function<std::unique_ptr<Reader>(const nlohmann::json& config, HostContext& host)>;
using SinkFactory =
    std::function<std::unique_ptr<Sink>(const nlohmann::json& config, HostContext& host)>;
using ComponentFactory = std::variant<SourceFactory, ReaderFactory, SinkFactory>;

struct ComponentInfo {
  std::string name;         // "source.scan", "codec.dump", "sink.restore", ...
  std::string description;  // one line, shown by `riot plugins`
  nlohmann::json schema;    // JSON Schema of the configuration object
  ComponentFactory factory;

  ComponentKind kind() const { return static_cast<ComponentKind>(factory.index()); }
};

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
