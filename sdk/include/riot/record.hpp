#pragma once
// The data model that moves through a pipeline: sources emit key events,
// readers turn them into records, sinks apply records to the target.
// Both travel in batches (std::vector) that are moved, never copied, between
// stages.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace riot {

// Where a key event came from: a walk of the keyspace, a keyspace
// notification, or a reconciliation pass after something may have been
// missed (a lost subscription).
enum class KeyOrigin : std::uint8_t { scan, notification, reconcile };

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

enum class RecordKind : std::uint8_t {
  dump,   // payload holds a DUMP serialization
  erase,  // the key no longer exists on the source: delete it on the target
  value,  // parts hold a structured value of `type` (or one chunk of it)
  // The key described, not copied: its `type`, expiry and `size` by its
  // type's cheap measure (STRLEN, HLEN, ...). What a quick comparison reads.
  digest,
};

// The record forms a reader produces and a sink accepts, as a set: the host
// refuses a pipeline whose reader produces a form its sink does not accept
// (codec.dump into sink.struct) before anything connects.
class RecordForms {
 public:
  constexpr RecordForms() = default;
  constexpr RecordForms(std::initializer_list<RecordKind> kinds) {
    for (RecordKind kind : kinds) bits_ |= bit(kind);
  }
  static constexpr RecordForms all() {
    return {RecordKind::dump, RecordKind::erase, RecordKind::value, RecordKind::digest};
  }

  constexpr bool has(RecordKind kind) const noexcept { return (bits_ & bit(kind)) != 0; }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  // The forms of this set that `other` lacks.
  constexpr RecordForms missing_from(RecordForms other) const noexcept {
    RecordForms result;
    result.bits_ = static_cast<std::uint8_t>(bits_ & ~other.bits_);
    return result;
  }
  constexpr bool operator==(const RecordForms&) const = default;

 private:
  static constexpr std::uint8_t bit(RecordKind kind) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(kind));
  }
  std::uint8_t bits_ = 0;
};

// "dump, value": the forms of a set, for messages and `riot plugins`.
std::string to_string(RecordForms forms);

// Where a structured value's record stands among the records of its key. A
// key read whole is one record, {0, last}. A big key read in chunks is
// several records of the same key, {0}, {1}, ... {n, last}, which travel in
// order through one reader and one sink: the sink applies them in that order
// and the key is complete (written, counted, its TTL applied) at the last.
struct ValueChunk {
  std::uint32_t index = 0;
  bool last = true;
  // Set by the host on every chunk: tells apart two readings of the same key
  // in flight at once (a key a SCAN returned twice, read by two readers), so
  // that a sink stages each reading apart (the last rename wins, with a
  // whole value either way).
  std::uint64_t reading = 0;

  bool is_whole() const noexcept { return index == 0 && last; }
};

// When a key expires, on riot's monotonic clock.
//
// A TTL is read from the source as a duration (PTTL) and written to the
// target as a duration (RESTORE without ABSTTL), so riot's wall clock never
// enters: a riot host whose clock is minutes off the servers' copies TTLs as
// exactly as one in sync. In between, the deadline lives on steady_clock,
// which no clock adjustment moves. The cost is that a TTL written to the
// target is stretched by the time its command spends on the way there (at
// most one write round trip, never shortened): a key never expires on the
// target before it expires on the source.
class Expiry {
 public:
  using Clock = std::chrono::steady_clock;

  // A persistent key (the default).
  Expiry() = default;

  // A key whose TTL was `ttl_ms` when it was observed at `observed_at`. Pass
  // the moment the read was sent, not received: the deadline is then never
  // later than the source's.
  static Expiry after(std::int64_t ttl_ms, Clock::time_point observed_at) {
    return Expiry(observed_at + std::chrono::milliseconds(ttl_ms));
  }

  bool is_persistent() const noexcept { return !has_deadline_; }

  // Milliseconds left at `now`; zero or less once the key has expired.
  // Meaningless for a persistent key.
  std::int64_t remaining_ms(Clock::time_point now) const noexcept {
    return std::chrono::ceil<std::chrono::milliseconds>(deadline_ - now).count();
  }

  bool has_expired(Clock::time_point now) const noexcept {
    return has_deadline_ && remaining_ms(now) <= 0;
  }

  Clock::time_point deadline() const noexcept { return deadline_; }

 private:
  explicit Expiry(Clock::time_point deadline) : deadline_(deadline), has_deadline_(true) {}

  Clock::time_point deadline_{};
  bool has_deadline_ = false;
};

struct KeyEvent {
  std::string key;  // binary-safe: may hold NUL, CR/LF, 0xff
  int db = 0;
  KeyOrigin origin = KeyOrigin::scan;
  KeyEventType event = KeyEventType::set;
  int slot = -1;  // cluster hash slot, -1 when not computed
  // When riot learned of the change (a notification's arrival), on riot's
  // monotonic clock; the epoch when unknown (a scan). Replication lag is
  // measured from it to the target's acknowledgement.
  Expiry::Clock::time_point observed_at{};
};
using KeyBatch = std::vector<KeyEvent>;

struct Record {
  std::string key;
  // The key as the source names it, when a key transform renamed it on the
  // way to the target (the host sets it after the reader); empty when the
  // two are the same. A comparator reads the target under `key` and the
  // source under this one.
  std::string source_key;
  RecordKind kind = RecordKind::dump;
  std::string type;     // Redis type name ("string", "hash", ...) when known
  std::string payload;  // DUMP serialization for RecordKind::dump
  // RecordKind::value: the value's parts, laid out by the datatype of `type`
  // (riot/datatype.hpp), and the chunk they are.
  std::vector<std::string> parts;
  ValueChunk chunk;
  Expiry expiry;                   // persistent unless set
  std::int64_t memory_usage = -1;  // bytes (MEMORY USAGE), -1 when not read
  // RecordKind::digest: the value's size as Datatype::decode_size gives it
  // (bytes of a string, fields of a hash, ...), -1 when its type has none.
  std::int64_t size = -1;
  // Copied from the key event the record was read for (readers do it with
  // take_event_context), so that the host can measure replication lag.
  KeyOrigin origin = KeyOrigin::scan;
  Expiry::Clock::time_point observed_at{};

  // The last record of its key (a whole value, a DUMP, an erase, the last
  // chunk): the one whose write completes the key's event.
  bool completes_key() const noexcept { return kind != RecordKind::value || chunk.last; }

  // The key as the source names it.
  const std::string& key_on_source() const noexcept {
    return source_key.empty() ? key : source_key;
  }

  // Key and value bytes: what batch and queue byte limits weigh.
  std::size_t weight() const noexcept {
    std::size_t bytes = key.size() + source_key.size() + payload.size();
    for (const std::string& part : parts) bytes += part.size();
    return bytes;
  }

  // Takes the key (moved) and the origin and observation time of `event`.
  void take_event_context(KeyEvent& event) {
    key = std::move(event.key);
    origin = event.origin;
    observed_at = event.observed_at;
  }
};
using RecordBatch = std::vector<Record>;

std::string_view to_string(KeyOrigin origin);
std::string_view to_string(KeyEventType event);
std::string_view to_string(RecordKind kind);

// Renders a binary key for messages: printable ASCII as is, everything else
// escaped (\x00, \r, \n, \\, \"), truncated to max_length with "...".
std::string printable_key(std::string_view key, std::size_t max_length = 128);

}  // namespace riot
