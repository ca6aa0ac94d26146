#pragma once
// What comparator.redis is configured to do beyond its connections: full or
// quick comparison, the TTL tolerance, and how it reads a big key again.

#include <cstdint>
#include <nlohmann/json.hpp>

#include "riot/values/value_reader.hpp"

namespace riot::compare_plugin {

enum class CompareMode : std::uint8_t {
  full,   // values compared by type (DUMP equality as a fast path)
  quick,  // existence, type, TTL and size by the type's cheap measure
};

struct CompareOptions {
  CompareMode mode = CompareMode::full;
  std::int64_t ttl_tolerance_ms = 100;
  // How a key found different is read again from the source: big keys in
  // chunks, never whole.
  std::uint64_t chunk_above_bytes = values::kDefaultChunkAboveBytes;
  std::size_t chunk_bytes = values::kDefaultChunkBytes;
  int memory_samples = values::kDefaultMemorySamples;

  static CompareOptions from_config(const nlohmann::json& config);
  // The configuration schema's properties for these options.
  static nlohmann::json schema_properties();
};

}  // namespace riot::compare_plugin
