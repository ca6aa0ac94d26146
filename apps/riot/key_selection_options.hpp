#pragma once
// Key selection and renaming as `riot replicate` reads them, checked: the
// regexes compile and the expression parses, or the option at fault is
// named. key_selection_stages.hpp turns them into transform stages.

#include <optional>
#include <string>
#include <vector>

#include "cli_options.hpp"

namespace riot::app {

// Every member's initial value is the option's default.
struct KeySelectionOptions {
  std::vector<std::string> include;  // none: every key
  std::vector<std::string> exclude;
  std::optional<std::string> process;  // keys keep their names

  bool filters() const { return !include.empty() || !exclude.empty(); }
  bool renames() const { return process.has_value(); }
};

// Throws CommandLineError naming the option, the regex and where RE2 found
// it wrong, or what is wrong with the --key-process expression.
KeySelectionOptions read_key_selection_options(const po::variables_map& values);

// --key-slots selects by the hash slot of the source key, which a walk of
// the target (comparison, verification, live reconciliation) cannot compute
// from a renamed key: refused together when the run walks the target.
void refuse_key_slots_with_renaming(const KeySelectionOptions& keys, bool key_slots_given,
                                    bool walks_target);

}  // namespace riot::app
