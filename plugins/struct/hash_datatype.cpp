#include "hash_datatype.hpp"

namespace riot::struct_plugin {

HashDatatype::HashDatatype()
    : ScannedCollection(
          {"hash", "HSCAN", "HSET", 2, ElementOrder::as_read, "field", "HMGET", "HLEN"}) {}

std::size_t HashDatatype::append_read(std::string_view key, redis::KeyedCommands& commands) const {
  commands.append(key, {"HGETALL", key});
  return 1;
}

}  // namespace riot::struct_plugin
