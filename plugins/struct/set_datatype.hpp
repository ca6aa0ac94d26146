#pragma once
// datatype.set: [member, ...], read by SMEMBERS (SSCAN in chunks), written by
// SADD.

#include "scanned_collection.hpp"

namespace riot::struct_plugin {

class SetDatatype final : public ScannedCollection {
 public:
  SetDatatype();
  std::size_t append_read(std::string_view key, redis::KeyedCommands& commands) const override;

 protected:
  std::string_view read_command() const override { return "SMEMBERS"; }
};

}  // namespace riot::struct_plugin
