#include "plugins_command.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"
#include "plugin_loading.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

// One entry per component:
//   codec.dump    reader  Reads each key as its DUMP serialization ...
//                         /usr/lib/riot/plugins/riot-plugin-dump.so
void list_components(const host::PluginRegistry& registry, std::ostream& out) {
  const auto components = registry.components();
  if (components.empty()) {
    out << "No plugins loaded.\n";
    return;
  }
  std::size_t name_width = 0;
  for (const auto* component : components) {
    name_width = std::max(name_width, component->info->name.size());
  }
  // "source", "reader", "sink", "datatype", "comparator", "transform"
  constexpr std::size_t kKindWidth = 10;
  const std::string indent(name_width + kKindWidth + 4, ' ');
  for (const auto* component : components) {
    std::string name = component->info->name;
    name.resize(name_width, ' ');
    std::string kind(to_string(component->info->kind()));
    kind.resize(kKindWidth, ' ');
    out << name << "  " << kind << "  " << component->info->description << '\n'
        << indent << component->file.string() << '\n';
  }
}

const host::LoadedComponent& find_component(const host::PluginRegistry& registry,
                                            const std::string& name) {
  if (const auto* component = registry.find(name)) return *component;
  std::string message = "unknown component '" + name + "'";
  std::vector<std::string> suggestions = registry.nearest_names(name);
  const char* lead = "; did you mean: ";
  if (suggestions.empty()) {
    for (const auto* component : registry.components())
      suggestions.push_back(component->info->name);
    lead = "; loaded components: ";
  }
  for (std::size_t i = 0; i < suggestions.size(); ++i) {
    message += (i == 0 ? lead : ", ") + suggestions[i];
  }
  throw UsageError(message);
}

nlohmann::json all_schemas(const host::PluginRegistry& registry) {
  nlohmann::json schemas = nlohmann::json::object();
  for (const auto* component : registry.components()) {
    schemas[component->info->name] = component->info->schema;
  }
  return schemas;
}

}  // namespace

CommandSyntax plugins_command_syntax() {
  CommandSyntax syntax;
  syntax.name = "plugins";
  syntax.usage = "riot [GLOBAL OPTIONS] plugins [--schema [NAME]]";
  syntax.description =
      "Lists the components of the loaded plugins: name, kind (source, reader, sink, transform,\n"
      "comparator or datatype), description and the file that provides it. With --schema, prints "
      "the\n"
      "JSON Schema of each component's configuration as one JSON object keyed by\n"
      "name, or only NAME's.";
  po::options_description options("Options");
  auto add = options.add_options();
  add("schema", po::value<std::string>()->value_name("NAME")->implicit_value(""),
      "Print the configuration schemas (all, or NAME's) instead of the list.");
  syntax.options.add(options);
  syntax.epilog =
      "Examples:\n"
      "  riot plugins\n"
      "  riot plugins --schema sink.restore\n"
      "  riot --plugin-path ./my-plugins plugins\n";
  return syntax;
}

int plugins_command(const ParsedCommand& command, SignalWatcher& /*signals*/) {
  host::PluginRegistry registry;
  load_plugins(registry, command.global.plugin_paths);
  if (!command.values.count("schema")) {
    list_components(registry, std::cout);
    return kExitSuccess;
  }
  const std::string name = command.values["schema"].as<std::string>();
  const nlohmann::json schema =
      name.empty() ? all_schemas(registry) : find_component(registry, name).info->schema;
  std::cout << schema.dump(2) << '\n';
  return kExitSuccess;
}

}  // namespace riot::app
