#pragma once
// The settings `riot replicate` gives every connection of both sides, read and
// checked: the timeouts and the retry policy (their syntax is in
// connection_syntax.hpp and retry_syntax.hpp; each side's own options are in
// connection_side.hpp).

#include "cli_options.hpp"
#include "replicate_options.hpp"

namespace riot::app {

// Reads --connect-timeout, the command timeout (--command-timeout in
// milliseconds, or RIOT's --timeout in seconds), --retry and --retry-delay
// into `options`. Throws CommandLineError naming the option at fault.
void read_connection_options(const po::variables_map& values, ReplicateOptions& options);

}  // namespace riot::app
