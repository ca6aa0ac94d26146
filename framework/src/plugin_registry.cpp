#include "riot/host/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <set>
#include <system_error>

#include "nearest_names.hpp"
#include "plugin_header_check.hpp"
#include "plugin_symbols.hpp"

namespace riot::host {

namespace fs = std::filesystem;

namespace {

std::string plugin_prefix(const fs::path& file) {
  return "plugin " + file.string();
}

// rtld_now: a missing dependency or undefined symbol fails here, with the
// loader's message, rather than in the middle of a run. rtld_local: the
// internals of two plugins can never interpose one another.
std::shared_ptr<boost::dll::shared_library> open_library(const fs::path& file) {
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code error;
  library->load(boost::dll::fs::path(file.native()),
                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
  if (error) {
    // Boost.DLL reports only "bad file descriptor"; the loader's own reason
    // (not an ELF file, a missing libfoo.so, an undefined symbol) is still
    // waiting in dlerror().
    const char* reason = dlerror();
    throw PluginError(plugin_prefix(file) +
                      ": cannot be loaded: " + (reason != nullptr ? reason : error.message()));
  }
  return library;
}

std::string not_a_plugin_reason() {
  return std::string("not a riot plugin: its dynamic symbol table has no entry point '") +
         kPluginEntryPoint + "' (the file was not loaded)";
}

const PluginHeader* read_header(const boost::dll::shared_library& library, const fs::path& file) {
  if (!library.has(kPluginEntryPoint)) {
    throw PluginError(plugin_prefix(file) + ": no riot plugin entry point '" + kPluginEntryPoint +
                      "' (not a riot plugin?)");
  }
  // The entry point is plain C returning a plain C struct: safe to call
  // whatever toolchain built the plugin.
  return library.get_alias<PluginEntryPoint>(kPluginEntryPoint)();
}

const PluginDescriptor& describe(const PluginHeader& header, const fs::path& file) {
  const PluginDescriptor* descriptor = nullptr;
  try {
    descriptor = header.describe();
  } catch (const std::exception& error) {
    throw PluginError(plugin_prefix(file) + ": describe() failed: " + error.what());
  } catch (...) {
    throw PluginError(plugin_prefix(file) + ": describe() failed with an unknown exception");
  }
  if (descriptor == nullptr) {
    throw PluginError(plugin_prefix(file) + ": describe() returned nothing");
  }
  return *descriptor;
}

// A schema the validator cannot walk would only fail later, at the first
// pipeline naming the component; refuse the plugin now instead.
bool is_usable_schema(const nlohmann::json& schema) {
  return schema.is_object() || schema.is_boolean();
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code error;
  return a == b || fs::equivalent(a, b, error);
}

// Validation matches readers to sinks by the record forms they declare, so
// one that declares none could never be checked (nor used); a datatype is
// found by its Redis type name, which its component name must carry.
void check_record_forms(const ComponentInfo& component, const fs::path& file) {
  const auto refuse = [&](const std::string& why) {
    throw PluginError("component '" + component.name + "' of " + plugin_prefix(file) + " " + why);
  };
  switch (component.kind()) {
    case ComponentKind::reader:
      if (component.produces.empty())
        refuse("declares no record forms it produces (ComponentInfo::produces)");
      break;
    case ComponentKind::sink:
    case ComponentKind::comparator:
      if (component.accepts.empty())
        refuse("declares no record forms it accepts (ComponentInfo::accepts)");
      break;
    case ComponentKind::datatype:
      if (component.name.rfind(datatype_component_name(""), 0) != 0 ||
          component.name.size() == datatype_component_name("").size())
        refuse("is a datatype: its name must be 'datatype.<Redis type name>'");
      break;
    case ComponentKind::source:
    case ComponentKind::transform:
      break;
  }
}

// Everything is checked before anything is registered, so a refused plugin
// leaves the registry as it was.
void check_components(const PluginDescriptor& descriptor, const fs::path& file,
                      const PluginRegistry& registry) {
  std::set<std::string_view> names;
  for (const ComponentInfo& component : descriptor.components) {
    if (component.name.empty()) {
      throw PluginError(plugin_prefix(file) + " registers a component without a name");
    }
    if (!names.insert(component.name).second) {
      throw PluginError("component '" + component.name + "' is registered twice by " +
                        file.string());
    }
    if (const LoadedComponent* existing = registry.find(component.name)) {
      throw PluginError("component '" + component.name + "' is registered by both " +
                        existing->file.string() + " and " + file.string());
    }
    if (!is_usable_schema(component.schema)) {
      throw PluginError("component '" + component.name + "' of " + plugin_prefix(file) +
                        " has a schema that is neither a JSON object nor a boolean");
    }
    check_record_forms(component, file);
  }
}

}  // namespace

PluginRegistry::PluginRegistry() = default;

PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::load_directory(const fs::path& directory) {
  std::error_code error;
  if (!fs::exists(directory, error)) {
    throw PluginError("plugin directory '" + directory.string() + "' does not exist");
  }
  if (!fs::is_directory(directory, error)) {
    throw PluginError("plugin directory '" + directory.string() + "' is not a directory");
  }
  std::vector<fs::path> plugins;
  for (fs::directory_iterator entry(directory, error), end; !error && entry != end;
       entry.increment(error)) {
    std::error_code type_error;
    if (entry->is_regular_file(type_error) && entry->path().extension() == ".so") {
      plugins.push_back(entry->path());
    }
  }
  if (error) {
    throw PluginError("plugin directory '" + directory.string() +
                      "' cannot be read: " + error.message());
  }
  // Directory order is whatever the file system gives; name order makes which
  // plugin wins a conflict, and so every message, reproducible.
  std::sort(plugins.begin(), plugins.end());
  for (const fs::path& plugin : plugins) {
    const fs::path file = fs::absolute(plugin).lexically_normal();
    if (is_loaded(file) || is_skipped(file)) continue;
    if (!exports_dynamic_symbol(file, kPluginEntryPoint)) {
      skipped_.push_back({file, not_a_plugin_reason()});
      continue;
    }
    load_plugin(file);
  }
}

void PluginRegistry::load_file(const fs::path& requested) {
  const fs::path file = fs::absolute(requested).lexically_normal();
  if (is_loaded(file)) return;
  std::error_code error;
  if (!fs::exists(file, error)) throw PluginError(plugin_prefix(file) + ": no such file");
  if (!fs::is_regular_file(file, error)) {
    throw PluginError(plugin_prefix(file) + ": not a regular file");
  }
  if (!exports_dynamic_symbol(file, kPluginEntryPoint)) {
    throw PluginError(plugin_prefix(file) + ": " + not_a_plugin_reason());
  }
  load_plugin(file);
}

// The same directory may be listed twice (RIOT_PLUGIN_PATH and the default);
// loading a file again would only report its components as duplicates.
bool PluginRegistry::is_loaded(const fs::path& file) const {
  return std::any_of(files_.begin(), files_.end(),
                     [&](const fs::path& loaded) { return same_file(loaded, file); });
}

// Skipped once, reported once.
bool PluginRegistry::is_skipped(const fs::path& file) const {
  return std::any_of(skipped_.begin(), skipped_.end(),
                     [&](const SkippedFile& skipped) { return same_file(skipped.file, file); });
}

void PluginRegistry::load_plugin(const fs::path& file) {
  auto library = open_library(file);
  const PluginHeader* header = read_header(*library, file);
  check_plugin_header(header, file);
  const PluginDescriptor& descriptor = describe(*header, file);
  check_components(descriptor, file, *this);

  for (const ComponentInfo& component : descriptor.components) {
    components_.emplace(component.name, LoadedComponent{&component, file, library});
  }
  files_.push_back(file);
  libraries_.push_back(std::move(library));
}

const LoadedComponent* PluginRegistry::find(std::string_view name) const {
  const auto found = components_.find(name);
  return found == components_.end() ? nullptr : &found->second;
}

std::vector<std::string> PluginRegistry::nearest_names(std::string_view name,
                                                       std::size_t max) const {
  std::vector<std::string> names;
  names.reserve(components_.size());
  for (const auto& entry : components_) names.push_back(entry.first);
  return host::nearest_names(name, names, max);
}

std::vector<const LoadedComponent*> PluginRegistry::components() const {
  // The map is ordered by name already.
  std::vector<const LoadedComponent*> result;
  result.reserve(components_.size());
  for (const auto& entry : components_) result.push_back(&entry.second);
  return result;
}

}  // namespace riot::host
