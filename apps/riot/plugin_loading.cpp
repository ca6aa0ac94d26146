#include "plugin_loading.hpp"

#include <spdlog/spdlog.h>

#include <system_error>

namespace riot::app {

void load_plugins(host::PluginRegistry& registry,
                  const std::vector<std::filesystem::path>& plugin_paths) {
  // A directory the user named on the command line must be there: a typo
  // would otherwise surface later as an unknown component.
  for (const auto& directory : plugin_paths) registry.load_directory(directory);

  std::vector<std::filesystem::path> searched = plugin_paths;
  for (const auto& directory : host::default_plugin_directories()) {
    searched.push_back(directory);
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      spdlog::warn("plugin directory '{}' does not exist; skipped", directory.string());
      continue;
    }
    registry.load_directory(directory);  // files already loaded are skipped
  }

  // Any library may sit in a plugin directory; none of its code ran.
  for (const auto& skipped : registry.skipped_files())
    spdlog::warn("{}: skipped, {}", skipped.file.string(), skipped.reason);

  if (registry.components().empty()) {
    std::string list;
    for (const auto& directory : searched) list += (list.empty() ? "" : ", ") + directory.string();
    spdlog::warn("no plugins found; searched: {}", list);
  } else {
    spdlog::debug("loaded {} plugin files", registry.loaded_files().size());
  }
}

}  // namespace riot::app
