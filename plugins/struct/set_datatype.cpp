#include "set_datatype.hpp"

namespace riot::struct_plugin {

SetDatatype::SetDatatype()
    : ScannedCollection(
          {"set", "SSCAN", "SADD", 1, ElementOrder::as_read, "member", "SMISMEMBER", "SCARD"}) {}

std::size_t SetDatatype::append_read(std::string_view key, redis::KeyedCommands& commands) const {
  commands.append(key, {"SMEMBERS", key});
  return 1;
}

}  // namespace riot::struct_plugin
