// Where riot looks for plugins when the user names no directory.

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <system_error>

#include "riot/host/plugin_registry.hpp"

namespace riot::host {

namespace {

constexpr const char* kPluginPathVariable = "RIOT_PLUGIN_PATH";

// Colon-separated like PATH; empty entries ("a::b", a trailing colon) are
// skipped rather than read as the current directory, which would load
// whatever .so files happen to be there.
std::vector<std::filesystem::path> split_plugin_path(std::string_view value) {
  std::vector<std::filesystem::path> directories;
  while (!value.empty()) {
    const std::size_t colon = value.find(':');
    const std::string_view entry = value.substr(0, colon);
    if (!entry.empty()) directories.emplace_back(entry);
    if (colon == std::string_view::npos) break;
    value.remove_prefix(colon + 1);
  }
  return directories;
}

// The installed layout is <prefix>/bin/riot beside <prefix>/<libdir>/riot/plugins
// (libdir is lib, or lib/x86_64-linux-gnu on Debian's /usr), and the build
// tree mirrors it, so this works both installed and in place.
std::optional<std::filesystem::path> bundled_plugin_directory() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  return executable.parent_path() / ".." / RIOT_PLUGIN_INSTALL_DIR;
}

// "/opt/riot/plugins/" and "/opt/riot/plugins" are the same directory.
std::filesystem::path normalized(const std::filesystem::path& directory) {
  std::filesystem::path result = directory.lexically_normal();
  if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
  return result;
}

// RIOT_PLUGIN_PATH may well name the bundled directory too; listing it once
// keeps the order of first appearance.
std::vector<std::filesystem::path> without_repeats(std::vector<std::filesystem::path> directories) {
  std::vector<std::filesystem::path> unique;
  for (const auto& directory : directories) {
    std::filesystem::path candidate = normalized(directory);
    if (std::find(unique.begin(), unique.end(), candidate) == unique.end()) {
      unique.push_back(std::move(candidate));
    }
  }
  return unique;
}

}  // namespace

std::vector<std::filesystem::path> default_plugin_directories() {
  std::vector<std::filesystem::path> directories;
  if (const char* plugin_path = std::getenv(kPluginPathVariable)) {
    directories = split_plugin_path(plugin_path);
  }
  if (auto bundled = bundled_plugin_directory()) directories.push_back(std::move(*bundled));
  return without_repeats(std::move(directories));
}

}  // namespace riot::host
