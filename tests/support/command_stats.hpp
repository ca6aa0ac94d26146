#pragma once
// How many times a server ran a command since its statistics were last reset
// (CONFIG RESETSTAT), from INFO commandstats: what the tests use to tell
// which commands riot sent, without trusting riot's own counts.

#include <cstdint>
#include <string_view>

#include "riot/redis/connection.hpp"

namespace riot::test {

// The calls of `command` (lower case: "get", "dump"); 0 when it never ran.
std::int64_t command_calls(redis::Connection& connection, std::string_view command);

}  // namespace riot::test
