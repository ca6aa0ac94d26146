#pragma once
// How `riot replicate` compares the source with the target, read and checked:
// --mode compare, and the verification after a snapshot or a live run ended
// by its idle timeout (--no-verify, --compare, --ttl-tolerance, --show-diffs,
// --diff-report, --repair, --repair-extra). compare_document.hpp turns them
// into the comparing pipeline.

#include <cstdint>
#include <optional>
#include <string>

#include "cli_options.hpp"

namespace riot::app {

// Every member's initial value is the option's default (and what --help
// shows).
struct CompareOptions {
  bool verify = true;          // --no-verify turns it off
  std::string depth = "full";  // --compare: full (values by type) or quick (sizes)
  std::int64_t ttl_tolerance_ms = 100;
  bool show_diffs = false;
  std::optional<std::string> diff_report;  // the JSON-lines file
  bool repair = false;                     // --repair (or --repair-extra)
  bool repair_extra = false;               // delete the keys only the target holds

  bool is_quick() const { return depth == "quick"; }
};

// The options that only tune a comparison, as the user spells them: refused
// where nothing is compared.
inline constexpr const char* kComparisonOptions[] = {
    "compare", "ttl-tolerance", "show-diffs", "diff-report", "repair", "repair-extra"};

// Reads the comparison options of `replicate_command_syntax()`. Throws
// CommandLineError naming the option at fault. Whether the mode compares at
// all is the caller's to check (replicate_options.cpp): it knows the mode.
CompareOptions read_compare_options(const po::variables_map& values);

}  // namespace riot::app
