#pragma once
// Which keys `riot replicate`'s scan emits, read and checked: --scan-count,
// --key-pattern, --key-type, --key-slots (their syntax is in scan_syntax.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

// Reads the scan options into `options` (scan_count, key_pattern, key_type,
// key_slots in canonical form). Throws CommandLineError naming the option.
void read_scan_options(const po::variables_map& values, ReplicateOptions& options);

}  // namespace riot::app
