#pragma once
// What codec.dump is configured to read beyond DUMP and PTTL: deletes for
// live replication, a type filter, big keys (mem_limit_bytes) and the string
// fast path.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace riot::dump_plugin {

// What becomes of a key whose MEMORY USAGE exceeds mem_limit_bytes.
enum class OverLimit : std::uint8_t {
  skip,     // not read: reported by name and size, counted as skipped
  by_type,  // read in chunks through its datatype (values::ValueReader)
};

struct DumpOptions {
  bool read_type = false;  // also send TYPE for each key
  // A key the source no longer holds (or of another type than only_type)
  // becomes an erase record rather than a skipped key: live replication
  // propagates deletes, expiries and evictions that way.
  bool erase_missing = false;
  std::optional<std::string> only_type;  // keep keys of this type only
  // Keys are sized (MEMORY USAGE key SAMPLES memory_samples) before they
  // are read when above 0.
  std::uint64_t mem_limit_bytes = 0;
  int memory_samples = 5;
  OverLimit over_limit = OverLimit::skip;
  std::size_t chunk_bytes = std::size_t{1} << 20;  // of a big key read in chunks
  // Strings are read with GET and written with SET (value records), which
  // costs both servers less than DUMP and RESTORE (docs/performance.md).
  bool string_fast_path = true;

  static DumpOptions from_config(const nlohmann::json& config);
  // The configuration schema's properties for these options.
  static nlohmann::json schema_properties();

  // Whether a key may be read by GET first: the fast path is on and the type
  // filter, if any, keeps strings.
  bool reads_strings_by_value() const {
    return string_fast_path && (!only_type || *only_type == "string");
  }
};

}  // namespace riot::dump_plugin
