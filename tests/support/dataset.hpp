#pragma once
// Test data and an independent check that two databases hold the same data.
//
// The comparison reads values by type with ordinary commands (GET, HGETALL,
// LRANGE, SMEMBERS, ZRANGE, XRANGE, XINFO) — it never trusts DUMP, so it
// checks riot's copy with code that shares nothing with riot's own path.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "riot/redis/connection.hpp"

namespace riot::test {

struct DatasetOptions {
  bool large_values = true;  // a 10 MB string, a 100k-field hash, a 100k-element list...
  std::size_t small_strings = 1000;
  unsigned seed = 42;
};

// Writes every core type: strings (empty, integer-encoded, binary, large),
// hashes, lists, sets (intset and strings), sorted sets (with -inf/inf and
// fractional scores), streams with consumer groups and pending entries,
// binary keys (NUL, CR/LF, 0xff), keys with and without TTLs. Returns the
// number of keys written.
std::size_t write_every_type_dataset(redis::Connection& connection,
                                     const DatasetOptions& options = {});

// `count` string keys "<prefix><i>" of `value_size` random bytes, pipelined.
void write_strings(redis::Connection& connection, std::size_t count, std::size_t value_size,
                   const std::string& prefix = "key:");

// Every key of the connection's database, via SCAN.
std::vector<std::string> scan_all_keys(redis::Connection& connection);

// Every difference between the two databases: keys missing on the target,
// extra keys, type, value and TTL mismatches (TTLs must agree within
// `ttl_tolerance`; a persistent key must stay persistent). Empty when equal.
std::vector<std::string> compare_databases(
    redis::Connection& source, redis::Connection& target,
    std::chrono::milliseconds ttl_tolerance = std::chrono::seconds(5));

// Reads one key as a canonical text (type-tagged) for comparison.
std::string canonical_value(redis::Connection& connection, const std::string& key);

// Joins the first `max` differences for an assertion message.
std::string summarize(const std::vector<std::string>& differences, std::size_t max = 20);

}  // namespace riot::test
