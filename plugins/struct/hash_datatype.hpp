#pragma once
// datatype.hash: [field, value, field, value, ...], read by HGETALL (HSCAN in
// chunks), written by HSET.

#include "scanned_collection.hpp"

namespace riot::struct_plugin {

class HashDatatype final : public ScannedCollection {
 public:
  HashDatatype();
  std::size_t append_read(std::string_view key, redis::KeyedCommands& commands) const override;

 protected:
  std::string_view read_command() const override { return "HGETALL"; }
};

}  // namespace riot::struct_plugin
