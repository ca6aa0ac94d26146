#pragma once
// Finding and loading the plugins a command needs.

#include <filesystem>
#include <vector>

#include "riot/host/plugin_registry.hpp"

namespace riot::app {

// Loads every plugin of the directories named with --plugin-path (each must
// exist), then of the default directories (RIOT_PLUGIN_PATH, then the bundled
// one; those that do not exist are skipped with a warning). Throws
// host::PluginError naming the directory or file that failed.
void load_plugins(host::PluginRegistry& registry,
                  const std::vector<std::filesystem::path>& plugin_paths);

}  // namespace riot::app
