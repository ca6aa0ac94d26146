#pragma once
// The bytes of a record's value (its DUMP payload, or its parts): what
// bytes_read and bytes_written count.

#include <cstddef>
#include <string>

#include "riot/record.hpp"

namespace riot::values {

inline std::size_t value_bytes(const Record& record) noexcept {
  std::size_t bytes = record.payload.size();
  for (const std::string& part : record.parts) bytes += part.size();
  return bytes;
}

}  // namespace riot::values
