#pragma once
// Discovery and loading of plugins, and the registry of their components.

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "riot/plugin.hpp"

namespace boost::dll {
class shared_library;
}

namespace riot::host {

// A plugin that cannot be loaded; the message names the file and the reason
// (both SDK versions, both build tags, the missing entry point, the two files
// registering the same component...).
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadedComponent {
  const ComponentInfo* info = nullptr;
  std::filesystem::path file;  // the shared object that registered it
  // Keeps the library loaded while any object it created may still exist.
  std::shared_ptr<boost::dll::shared_library> library;
};

// A file of a plugin directory that is not a riot plugin, left unloaded.
struct SkippedFile {
  std::filesystem::path file;
  std::string reason;
};

class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Loads every regular file ending in ".so" in `directory` (not recursive),
  // in name order. A file whose dynamic symbol table lacks the entry point
  // is not a riot plugin (any library may sit there): it is never loaded,
  // so none of its code runs, and is listed in skipped_files(). Throws
  // PluginError if the directory does not exist or a riot plugin in it is
  // refused.
  void load_directory(const std::filesystem::path& directory);

  // Loads one plugin with rtld_now. Checks, before loading, that the file's
  // dynamic symbol table holds the entry point (a file named on purpose that
  // is not a riot plugin is an error); then, before creating anything, that
  // the header magic, SDK major version and build tag match the host's; then
  // registers its components, refusing a name already registered by another
  // file. A refused plugin registers nothing. A file already loaded (under
  // any path) is skipped, so directories may overlap.
  void load_file(const std::filesystem::path& file);

  const LoadedComponent* find(std::string_view name) const;

  // Registered names closest to `name` (edit distance), best first, for "did
  // you mean" messages.
  std::vector<std::string> nearest_names(std::string_view name, std::size_t max = 3) const;

  // Every component, sorted by name.
  std::vector<const LoadedComponent*> components() const;

  const std::vector<std::filesystem::path>& loaded_files() const { return files_; }

  // The files of the directories loaded so far that are not riot plugins,
  // each once, in the order met.
  const std::vector<SkippedFile>& skipped_files() const { return skipped_; }

 private:
  // Loads `file` (absolute, normal, known to export the entry point).
  void load_plugin(const std::filesystem::path& file);
  bool is_loaded(const std::filesystem::path& file) const;
  bool is_skipped(const std::filesystem::path& file) const;

  std::map<std::string, LoadedComponent, std::less<>> components_;
  std::vector<std::filesystem::path> files_;
  std::vector<SkippedFile> skipped_;
  std::vector<std::shared_ptr<boost::dll::shared_library>> libraries_;
};

// The directories riot searches by default: `$RIOT_PLUGIN_PATH` entries
// (colon-separated) first, then <dir of the executable>/../<libdir>/riot/plugins,
// where the build installs the bundled plugins.
std::vector<std::filesystem::path> default_plugin_directories();

}  // namespace riot::host
