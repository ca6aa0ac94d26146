#pragma once
// The data model that moves through a pipeline: sources emit key events,
// readers turn them into records, sinks apply records to the target.
// Both travel in batches (std::vector) that are moved, never copied, between
// stages.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riot {

// Where a key event came from.
enum class KeyOrigin : std::uint8_t { scan, notification };

// What happened to the key. A scan reports every key it finds as `set`.
enum class KeyEventType : std::uint8_t {
  set,
  del,
  expired,
  evicted,
  rename_from,
  rename_to,
  other
};

struct KeyEvent {
  std::string key;  // binary-safe: may hold NUL, CR/LF, 0xff
  int db = 0;
  KeyOrigin origin = KeyOrigin::scan;
  KeyEventType event = KeyEventType::set;
  int slot = -1;  // cluster hash slot, -1 when not computed
};
using KeyBatch = std::vector<KeyEvent>;

enum class RecordKind : std::uint8_t {
  dump,   // payload holds a DUMP serialization
  erase,  // the key no longer exists on the source: delete it on the target
};

// No expiry: the key is persistent.
inline constexpr std::int64_t kNoExpiry = 0;

struct Record {
  std::string key;
  RecordKind kind = RecordKind::dump;
  std::string type;                       // Redis type name ("string", "hash", ...) when known
  std::string payload;                    // DUMP serialization for RecordKind::dump
  std::int64_t expire_at_ms = kNoExpiry;  // absolute Unix time in ms
  std::int64_t memory_usage = -1;         // bytes (MEMORY USAGE), -1 when not read
};
using RecordBatch = std::vector<Record>;

std::string_view to_string(KeyOrigin origin);
std::string_view to_string(KeyEventType event);
std::string_view to_string(RecordKind kind);

// Renders a binary key for messages: printable ASCII as is, everything else
// escaped (\x00, \r, \n, \\, \"), truncated to max_length with "...".
std::string printable_key(std::string_view key, std::size_t max_length = 128);

}  // namespace riot
