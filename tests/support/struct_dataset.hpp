#pragma once
// Test data for type-based replication: every core type with binary keys and
// values, TTLs and values of one element, and big keys that a small
// chunk_above_bytes sends through the chunked path.

#include <cstddef>
#include <string>
#include <vector>

#include "support/dataset.hpp"

namespace riot::test {

// A key with a NUL, CR/LF, 0xff and braces of its own ("{" `name` "}": a
// hash tag), which a staging key must follow into its slot all the same.
std::string binary_key(const std::string& name);

// Strings (empty, integer, binary), hashes, lists, sets and sorted sets
// (-inf, inf, fractional and integer scores), of one element and of a few
// hundred, under binary keys and plain ones, some with TTLs.
void write_core_types(Keyspace& keyspace, const std::string& prefix = "");

// A hash, list, set and sorted set of `elements` binary elements and a
// string of `elements` * 40 bytes: "<prefix>hash", "<prefix>list", ...
void write_big_keys(Keyspace& keyspace, std::size_t elements, const std::string& prefix = "big:");

// The keys of `keyspace` that are riot's staging keys.
std::vector<std::string> staging_keys(Keyspace& keyspace);

}  // namespace riot::test
