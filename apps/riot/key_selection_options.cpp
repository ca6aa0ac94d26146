#include "key_selection_options.hpp"

#include <stdexcept>

#include "key_renaming.hpp"
#include "key_selection.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

std::vector<std::string> read_list(const po::variables_map& values, const char* option) {
  if (!values.count(option)) return {};
  return values[option].as<std::vector<std::string>>();
}

// Each regex alone, so that the message names the option it came from.
void check_regexes(const std::vector<std::string>& regexes, const char* option) {
  for (const std::string& regex : regexes) {
    try {
      transform_plugin::KeySelection({regex}, {});
    } catch (const std::invalid_argument& error) {
      std::string why = error.what();
      why.erase(0, why.find(": ") + 2);  // "include[0]: " is the plugin's view
      throw CommandLineError("invalid value for --" + std::string(option) + ": " + why);
    }
  }
}

}  // namespace

KeySelectionOptions read_key_selection_options(const po::variables_map& values) {
  KeySelectionOptions options;
  options.include = read_list(values, "key-include");
  options.exclude = read_list(values, "key-exclude");
  check_regexes(options.include, "key-include");
  check_regexes(options.exclude, "key-exclude");
  if (values.count("key-process")) {
    options.process = values["key-process"].as<std::string>();
    try {
      transform_plugin::KeyRenaming::parse(*options.process);
    } catch (const std::invalid_argument& error) {
      throw CommandLineError("invalid value for --key-process: " + std::string(error.what()));
    }
  }
  return options;
}

void refuse_key_slots_with_renaming(const KeySelectionOptions& keys, bool key_slots_given,
                                    bool walks_target) {
  if (!keys.renames() || !key_slots_given || !walks_target) return;
  throw CommandLineError(
      "--key-slots cannot go with --key-process here: the slots are those of the source keys, "
      "and the comparison (or reconciliation) walks the target, whose renamed keys hash to "
      "other slots; select the keys with --key-include instead, or add --no-verify to a "
      "snapshot");
}

}  // namespace riot::app
