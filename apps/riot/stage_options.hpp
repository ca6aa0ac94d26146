#pragma once
// How `riot replicate` reads and writes, read and checked: threads, batches,
// queues and --read-from (their syntax is in stage_syntax.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

// Reads the stage options into `options`. Throws CommandLineError naming the
// option at fault.
void read_stage_options(const po::variables_map& values, ReplicateOptions& options);

}  // namespace riot::app
