#pragma once
// How big keys are, asked with commands whose cost does not grow with the
// key: MEMORY USAGE (with its default sampling of a few nested values, not
// SAMPLES 0, which walks every element), or, where a managed service or an
// ACL refuses MEMORY, TYPE and then the type's length command (STRLEN,
// HLEN, LLEN, SCARD, ZCARD, XLEN). A reader asks before repeating a command
// that may have cost the source too much, so it never repeats that command
// to find out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "riot/record.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/reply.hpp"

namespace riot::dump_plugin {

struct KeySize {
  enum class Measure {
    unknown,   // gone, or no command told
    bytes,     // memory (MEMORY USAGE) or a string's length (STRLEN)
    elements,  // an aggregate's length (HLEN, LLEN, SCARD, ZCARD, XLEN)
  };
  Measure measure = Measure::unknown;
  std::uint64_t amount = 0;
  std::string type;  // with `elements`: the Redis type

  // What reading the key whole moves: `amount` bytes, or the elements at a
  // modest size each; 0 when unknown.
  std::uint64_t estimated_bytes() const noexcept;
  // "~300.0 MiB", "a hash of 2000000 elements", "unknown size".
  std::string describe() const;
};

// The command that gives the length of a key of `type` in O(1) (STRLEN,
// HLEN, ...), or "" for a type without one (a module type).
std::string_view length_command(std::string_view type);

// The size `reply` to a length command of a key of `type` tells.
KeySize size_from_length(std::string_view type, const redis::Reply& reply);

// The size of each key of `keys`, in their order, in two or three pipelined
// round trips whatever the batch's size. Throws what Client::pipeline throws
// (IoError when the source cannot be reached in time).
std::vector<KeySize> measure_key_sizes(redis::Client& client, const KeyBatch& keys);

}  // namespace riot::dump_plugin
