#pragma once
// --read-from as riot, RIOT and Lettuce spell it. riot picks, in each shard of
// a source cluster, its master, one of its replicas, a replica when it has one,
// or any of its nodes; RIOT passed Lettuce's ReadFrom names through, some of
// which riot has no meaning for.

#include <string>

namespace riot::app {

// The canonical name ("master", "replica", "replica-preferred", "any") of a
// --read-from value in any case, with '-' or '_' alike: riot's names, and
// RIOT's UPSTREAM, SLAVE, SLAVE_PREFERRED and ANY_REPLICA for the same nodes.
// Throws CommandLineError for RIOT's MASTER_PREFERRED / UPSTREAM_PREFERRED and
// LOWEST_LATENCY / NEAREST (saying why, and what to use) and for anything else.
std::string read_from_option(const std::string& text);

}  // namespace riot::app
