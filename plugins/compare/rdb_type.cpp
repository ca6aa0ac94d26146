#include "rdb_type.hpp"

#include <array>
#include <cstdint>

namespace riot::compare_plugin {
namespace {

// RDB object types (rdb.h, RDB_TYPE_*) up to Redis 7.4: the encodings one
// type has had over the versions all name that type.
constexpr std::array<std::string_view, 22> kTypeOfByte{
    "string",  // 0 RDB_TYPE_STRING
    "list",    // 1 RDB_TYPE_LIST
    "set",     // 2 RDB_TYPE_SET
    "zset",    // 3 RDB_TYPE_ZSET
    "hash",    // 4 RDB_TYPE_HASH
    "zset",    // 5 RDB_TYPE_ZSET_2
    "",        // 6 RDB_TYPE_MODULE_PRE_GA
    "",        // 7 RDB_TYPE_MODULE_2
    "",        // 8 unused
    "hash",    // 9 RDB_TYPE_HASH_ZIPMAP
    "list",    // 10 RDB_TYPE_LIST_ZIPLIST
    "set",     // 11 RDB_TYPE_SET_INTSET
    "zset",    // 12 RDB_TYPE_ZSET_ZIPLIST
    "hash",    // 13 RDB_TYPE_HASH_ZIPLIST
    "list",    // 14 RDB_TYPE_LIST_QUICKLIST
    "stream",  // 15 RDB_TYPE_STREAM_LISTPACKS
    "hash",    // 16 RDB_TYPE_HASH_LISTPACK
    "zset",    // 17 RDB_TYPE_ZSET_LISTPACK
    "list",    // 18 RDB_TYPE_LIST_QUICKLIST_2
    "stream",  // 19 RDB_TYPE_STREAM_LISTPACKS_2
    "set",     // 20 RDB_TYPE_SET_LISTPACK
    "stream",  // 21 RDB_TYPE_STREAM_LISTPACKS_3
};

}  // namespace

std::optional<std::string_view> type_of_dump(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  const auto byte = static_cast<std::uint8_t>(payload.front());
  if (byte >= kTypeOfByte.size() || kTypeOfByte[byte].empty()) return std::nullopt;
  return kTypeOfByte[byte];
}

}  // namespace riot::compare_plugin
