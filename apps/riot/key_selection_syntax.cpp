#include "key_selection_syntax.hpp"

#include <string>
#include <vector>

namespace riot::app {

void add_key_selection_options(po::options_description& options) {
  po::options_description group("Key selection and renaming (see docs/recipes.md)");
  auto add = group.add_options();
  add("key-include", po::value<std::vector<std::string>>()->value_name("REGEX")->composing(),
      "Copy only the keys that match one of these regular expressions (RE2 syntax, matched "
      "against the whole key, byte by byte). Repeatable. Default: every key.");
  add("key-exclude", po::value<std::vector<std::string>>()->value_name("REGEX")->composing(),
      "Leave out the keys that match one of these regular expressions (whole key). Repeatable. "
      "Default: none.");
  add("key-process,key-proc", po::value<std::string>()->value_name("EXPR"),
      "Rename keys on the way to the target: a template holding #{key} ('new:#{key}', "
      "'#{key}:v2') or a substitution 's/REGEX/REPLACEMENT/[g]' with groups \\1..\\9 "
      "('s/^user:(.*)$/u:\\1/', 's/^old://' strips a prefix). The comparison applies it too. "
      "Alias: --key-proc. Default: keys keep their names.");
  options.add(group);
}

}  // namespace riot::app
