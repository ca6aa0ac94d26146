#pragma once
// How `riot replicate` copies values, read and checked: --type and the
// options that go with it (merge policy, stream ids, big keys, the string
// fast path). value_stages.hpp turns them into the reader and sink stages.

#include <cstdint>
#include <optional>
#include <string>

#include "cli_options.hpp"

namespace riot::app {

// Every member's initial value is the option's default (and what --help
// shows).
struct TypeOptions {
  std::string type = "dump";  // canonical: dump or struct
  // --type struct only.
  std::string merge_policy = "overwrite";  // or "merge"
  std::string stream_ids = "propagate";    // or "drop"
  // Which keys are big (MEMORY USAGE above it), in MiB. Absent: none in dump
  // mode; codec.struct's own chunk threshold in struct mode.
  std::optional<std::int64_t> mem_limit_mb;
  std::int64_t mem_samples = 5;  // MEMORY USAGE ... SAMPLES
  // --type dump only: what becomes of a key over --mem-limit, and whether
  // strings go by GET and SET.
  std::string mem_limit_policy = "skip";  // or "struct"
  bool string_fast_path = true;

  bool is_struct() const { return type == "struct"; }
  // Whether keys are sized at all: --mem-limit given and not 0.
  bool limits_memory() const { return mem_limit_mb.value_or(0) > 0; }
  // Whether keys over --mem-limit are left out (not copied, not compared).
  bool skips_big_keys() const {
    return !is_struct() && limits_memory() && mem_limit_policy == "skip";
  }
};

// Reads the options of `replicate_command_syntax()` about types. Throws
// CommandLineError naming the option at fault, and both the option and the
// --type for an option the type cannot use (--merge-policy with --type dump).
TypeOptions read_type_options(const po::variables_map& values);

}  // namespace riot::app
