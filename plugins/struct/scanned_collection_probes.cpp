// A hash, set or zset chunk checked against the target: the chunk's names
// looked up (HMGET, SMISMEMBER, ZMSCORE, in commands of at most
// kElementsPerCommand names), and the target's size (HLEN, SCARD, ZCARD) with
// every chunk: 0 tells a missing key, and at the last chunk it must equal the
// elements the source's chunks held.

#include "difference_details.hpp"
#include "reply_shapes.hpp"
#include "scanned_collection.hpp"

namespace riot::struct_plugin {
namespace {

// A lookup's answer for a name the target lacks: nil (HMGET, ZMSCORE) or 0
// (SMISMEMBER).
bool absent(const redis::Reply& answer) noexcept {
  return answer.is_nil() || (answer.is_integer() && answer.integer == 0);
}

}  // namespace

std::size_t ScannedCollection::append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                                  std::string_view key,
                                                  redis::KeyedCommands& commands) const {
  (void)probe;
  const std::size_t lookups = append_bounded(commands, commands_.lookup, key, chunk.parts,
                                             commands_.stride, ElementOrder::name_only);
  commands.append(key, {commands_.size, key});
  return lookups + 1;
}

ValueComparison ScannedCollection::decode_chunk_probe(std::span<redis::Reply> replies,
                                                      const Record& chunk,
                                                      ChunkProbe& probe) const {
  const std::size_t stride = commands_.stride;
  const redis::Reply& size = replies.back();
  if (wrong_type_among(replies) == ReadStatus::wrong_type ||
      (size.is_integer() && size.integer == 0))
    return ValueComparison::differs(no_value_on_target(commands_.type_name));
  const std::int64_t target_size = integer_of(commands_.size, size);

  const std::size_t elements = chunk.parts.size() / stride;
  std::size_t element = 0;
  for (const redis::Reply& lookup : replies.first(replies.size() - 1)) {
    if (!lookup.is_array()) throw_unexpected(commands_.lookup, lookup);
    for (const redis::Reply& answer : lookup.elements) {
      if (element == elements) throw_unexpected(commands_.lookup, lookup);
      const std::string_view name = chunk.parts[element * stride];
      if (absent(answer)) {
        return ValueComparison::differs(element_named(name) + " missing on the target");
      }
      if (stride == 2) {
        if (!answer.is_string()) throw_unexpected(commands_.lookup, answer);
        const std::string difference =
            value_difference(chunk.parts[element * stride + 1], answer.str);
        if (!difference.empty()) {
          return ValueComparison::differs(element_named(name) + ": " + difference);
        }
      }
      ++element;
    }
  }
  if (element != elements) throw_unexpected(commands_.lookup, replies.front());

  probe.elements += elements;
  // Every name of the source was found: a target of another size holds more
  // (or the source's SCAN returned an element twice: see docs/datatypes.md).
  if (chunk.chunk.last && static_cast<std::uint64_t>(target_size) != probe.elements) {
    return ValueComparison::differs(std::to_string(probe.elements) + " " +
                                    std::string(commands_.element) + "s vs " +
                                    std::to_string(target_size));
  }
  return ValueComparison::same();
}

}  // namespace riot::struct_plugin
