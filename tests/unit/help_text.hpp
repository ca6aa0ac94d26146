#pragma once
// A command's --help as one line: the options' descriptions are wrapped to
// a column whose width follows the longest option, so the tests look for
// phrases with every run of whitespace made one space.

#include <sstream>
#include <string>

#include "cli_options.hpp"

namespace riot::app {

inline std::string help_text(const CommandSyntax& syntax) {
  std::ostringstream help;
  print_command_help(syntax, help);
  std::string flat;
  for (const char c : help.str()) {
    const bool space = c == ' ' || c == '\n';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat.push_back(space ? ' ' : c);
  }
  return flat;
}

}  // namespace riot::app
