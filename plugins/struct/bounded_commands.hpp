#pragma once
// Writes of many elements as several commands of bounded size: HSET, RPUSH,
// SADD or ZADD of a hash of a million fields is not one command of a million
// arguments, which would make the target parse and apply it in one go (and
// block every other client meanwhile) and could pass its query buffer limit.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "riot/redis/keyed_commands.hpp"

namespace riot::struct_plugin {

// At most this many elements (a field and its value, a member and its score)
// per command, and at most about this many bytes of them.
inline constexpr std::size_t kElementsPerCommand = 512;
inline constexpr std::size_t kBytesPerCommand = std::size_t{4} << 20;

// How an element's parts become the command's arguments.
enum class ElementOrder {
  as_read,    // field value (HSET), member (SADD), element (RPUSH)
  reversed,   // member score read, score member written (ZADD)
  name_only,  // the element's first part only: a field (HMGET), a member (ZMSCORE)
};

// Appends `verb key element...` commands holding every element of `parts`
// (`stride` parts each) in order, and returns how many it appended (0 for no
// parts). Reads of many elements (HMGET, SMISMEMBER, ZMSCORE of a chunk's
// names) are bounded the same way, with ElementOrder::name_only.
std::size_t append_bounded(redis::KeyedCommands& commands, std::string_view verb,
                           std::string_view key, std::span<const std::string> parts,
                           std::size_t stride, ElementOrder order = ElementOrder::as_read);

}  // namespace riot::struct_plugin
