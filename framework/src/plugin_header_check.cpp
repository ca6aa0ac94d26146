#include "plugin_header_check.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include "riot/host/plugin_registry.hpp"

namespace riot::host {

namespace {

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

std::string sdk_version_text(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

void check_plugin_header(const PluginHeader* header, const std::filesystem::path& file) {
  const std::string plugin = "plugin " + file.string();
  if (header == nullptr) {
    throw PluginError(plugin + ": entry point '" + kPluginEntryPoint +
                      "' returned no plugin header (not a riot plugin?)");
  }
  if (header->magic != kPluginMagic) {
    throw PluginError(plugin + ": entry point '" + kPluginEntryPoint +
                      "' returned a header with magic " + hex(header->magic) + " instead of " +
                      hex(kPluginMagic) + " (not a riot plugin?)");
  }
  // Only the major version must match: minor versions add to the SDK without
  // changing what already exists.
  if (header->sdk_major != RIOT_SDK_VERSION_MAJOR) {
    throw PluginError(
        plugin + " was built against riot SDK " +
        sdk_version_text(header->sdk_major, header->sdk_minor) + " but this riot provides SDK " +
        sdk_version_text(RIOT_SDK_VERSION_MAJOR, RIOT_SDK_VERSION_MINOR) +
        "; rebuild the plugin against riot SDK " + std::to_string(RIOT_SDK_VERSION_MAJOR) + ".x");
  }
  const char* plugin_tag = header->build_tag != nullptr ? header->build_tag : "(none)";
  if (std::strcmp(plugin_tag, kBuildTag) != 0) {
    throw PluginError(plugin + " was built with toolchain '" + plugin_tag +
                      "' but this riot was built with '" + kBuildTag +
                      "'; rebuild the plugin with the same compiler and standard library as riot");
  }
  if (header->describe == nullptr) {
    throw PluginError(plugin + ": the plugin header has no describe function");
  }
}

}  // namespace riot::host
