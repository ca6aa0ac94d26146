#pragma once
// A source.scan copies one database of a single server. When others hold
// keys too, the user is told at the start and in the summary, with the way
// to copy them, rather than left to believe the whole server was copied.

#include "riot/host_context.hpp"
#include "riot/redis/connection.hpp"

namespace riot::scan_plugin {

// Asks INFO keyspace on `seed` (connected to the database being copied).
// Warns and adds a summary note when other databases hold keys; says at info
// level what is lost when INFO is refused.
void report_other_databases(redis::Connection& seed, HostContext& host);

}  // namespace riot::scan_plugin
