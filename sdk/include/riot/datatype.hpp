#pragma once
// A datatype component carries everything specific to one Redis type: how to
// read a value from the source (whole, or in chunks for a big key), how to
// write it to the target (overwrite or merge), and how to compare two values.
//
// Datatypes are looked up by the Redis type name TYPE answers ("hash",
// "ReJSON-RL"), not placed in a pipeline stage: a plugin registers one as the
// component "datatype.<type name>" and every reader or sink that works by
// type finds it through HostContext::datatype(). The host creates one
// instance per run and shares it between all worker threads, so every method
// is const and keeps no state between calls: what a chunked read must
// remember lives in the ChunkCursor the caller keeps.
//
// Methods work on batches: they append commands to a redis::KeyedCommands
// that the caller sends as one pipeline for many keys, and decode the
// replies the caller hands back, in the same order. A datatype never sends a
// command itself and never makes a round trip per key.
//
// The layout of Record::parts is the datatype's own (a hash: field, value,
// field, value...): only the datatype that read a value writes or compares
// it. The core layouts are documented in docs/datatypes.md so that other
// components can produce them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "riot/record.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace riot {

// What a write does to a key the target already holds.
enum class MergePolicy : std::uint8_t {
  overwrite,  // the target key becomes the source's value, atomically
  merge,      // fields, members, elements and entries are added to it
};

// Whether a stream's entries keep their ids on the target.
enum class StreamIdPolicy : std::uint8_t {
  propagate,  // XADD with the source's id (and the stream's metadata)
  drop,       // XADD *: the target assigns new ids
};

struct WriteOptions {
  MergePolicy merge = MergePolicy::overwrite;
  StreamIdPolicy stream_ids = StreamIdPolicy::propagate;
};

std::string_view to_string(MergePolicy policy);
std::string_view to_string(StreamIdPolicy policy);

// What the replies of a read said.
enum class ReadStatus : std::uint8_t {
  value,       // Record::parts holds the value (or the chunk)
  gone,        // the key no longer exists
  wrong_type,  // the key holds another type now (it was replaced meanwhile)
};

// A datatype's progress through one big key read in chunks. The caller keeps
// it between chunks and never interprets it; the datatype starts from a
// default-constructed cursor and sets `done` when it decoded the last chunk.
struct ChunkCursor {
  std::string position;    // a SCAN cursor, the next list index, the last stream id, a byte offset
  std::uint64_t step = 0;  // elements (or bytes) the next chunk asks for; 0 at the start
  std::uint64_t read = 0;  // elements (or bytes) read so far
  bool done = false;
};

// The outcome of comparing two values of one type.
struct ValueComparison {
  bool equal = true;
  // For a difference, what a person needs to find it, without the key:
  // `field "f2": 5 bytes vs 7 bytes`, `index 3 differs`, `length 10 vs 9`.
  std::string detail;

  static ValueComparison same() { return {}; }
  static ValueComparison differs(std::string detail) { return {false, std::move(detail)}; }
};

// A comparator's progress through a big key compared chunk by chunk: the
// source's chunks (as decode_chunk_read made them) are checked one at a time
// against the target's key. The caller keeps it between chunks and never
// interprets it; it starts default-constructed at the key's first chunk.
struct ChunkProbe {
  std::uint64_t elements = 0;  // elements (or bytes) of the source's chunks checked so far
  std::string position;        // the datatype's own (a stream: the last id checked)
};

class Datatype {
 public:
  virtual ~Datatype() = default;

  // The type name as TYPE answers it.
  virtual std::string_view type_name() const = 0;

  // ---- Reading a whole value -------------------------------------------

  // Appends the commands that read the whole value of `key` (HGETALL key),
  // each with commands.append(key, ...), and returns how many it appended.
  virtual std::size_t append_read(std::string_view key, redis::KeyedCommands& commands) const = 0;

  // Decodes the replies of append_read's commands (exactly as many) into
  // record.parts, moving strings out of them. Error replies other than
  // WRONGTYPE and replies of an unexpected shape throw redis::ReplyError.
  virtual ReadStatus decode_read(std::span<redis::Reply> replies, Record& record) const = 0;

  // ---- Reading in chunks -------------------------------------------------

  // Whether a big key can be read in chunks; a type that cannot is read
  // whole whatever its size.
  virtual bool reads_in_chunks() const { return false; }

  // Appends the commands that read the next chunk of `key` from `cursor`
  // (HSCAN key cursor COUNT step, LRANGE key i j, GETRANGE key a b, XRANGE key
  // (id + COUNT n), about `chunk_bytes` of data, and returns how many.
  virtual std::size_t append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                        std::size_t chunk_bytes,
                                        redis::KeyedCommands& commands) const;

  // Decodes one chunk into record.parts and advances `cursor` (sets `done`
  // after the last chunk, and adapts `step` to the bytes this chunk held so
  // that the next one holds about `chunk_bytes`). A chunk may hold no parts
  // (a SCAN page that found none) without being the last.
  virtual ReadStatus decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                       std::size_t chunk_bytes, Record& record) const;

  // ---- Writing -------------------------------------------------------------

  // Appends the commands that add the parts of `record` (a whole value or one
  // chunk) to `key`, which is the target key or, for a big key overwritten in
  // chunks, a staging key in the same slot; returns how many it appended.
  // The caller makes an overwrite atomic (MULTI/EXEC around a DEL and these
  // commands, or a staging key renamed over the target key) and applies the
  // TTL: these commands only add. A stream's metadata (last id, groups) comes
  // with the last chunk (record.chunk.last).
  virtual std::size_t append_write(const Record& record, std::string_view key,
                                   const WriteOptions& options,
                                   redis::KeyedCommands& commands) const = 0;

  // A whole value that one command replaces with its TTL, atomically (SET key
  // value PX ms): appends it and returns 1, or returns 0 when the type has no
  // such command (then the caller wraps append_write in MULTI/EXEC).
  // `ttl_ms` is 0 for a persistent key.
  virtual std::size_t append_replace(const Record& record, std::string_view key,
                                     std::int64_t ttl_ms, redis::KeyedCommands& commands) const {
    (void)record;
    (void)key;
    (void)ttl_ms;
    (void)commands;
    return 0;
  }

  // Checks a reply to a command append_write appended, by its position among
  // them; returns the error to report for the key, or "" when the reply is a
  // success. The default takes any error reply as a failure.
  virtual std::string check_write_reply(std::size_t command, const redis::Reply& reply) const;

  // ---- Comparing -----------------------------------------------------------

  // Compares two whole values of this type (parts as decode_read makes them):
  // set, hash and zset comparisons ignore order, list and stream order
  // matters. A difference's detail names the first differing field, member,
  // index or entry id.
  virtual ValueComparison compare(const Record& source, const Record& target) const = 0;

  // Appends the one command that answers the value's size cheaply (STRLEN,
  // HLEN, LLEN, SCARD, ZCARD, XLEN) and returns 1, or returns 0 when the type
  // has none: a quick comparison then compares type and TTL only.
  virtual std::size_t append_size(std::string_view key, redis::KeyedCommands& commands) const {
    (void)key;
    (void)commands;
    return 0;
  }

  // Decodes append_size's reply: the size, or nothing for a reply that is no
  // size (an error such as WRONGTYPE).
  virtual std::optional<std::int64_t> decode_size(const redis::Reply& reply) const;

  // ---- Comparing in chunks -------------------------------------------------

  // Whether a big key's chunks can be compared one at a time (memory bounded
  // by a chunk). A type that reads in chunks but cannot compare them is
  // compared by the comparator gathering the source's chunks whole.
  virtual bool compares_in_chunks() const { return false; }

  // Appends the commands that fetch from the target `key` what one chunk of
  // the source's value must be checked against: the chunk's fields (HMGET),
  // members (SMISMEMBER, ZMSCORE), index range (LRANGE), byte range
  // (GETRANGE), entries (XRANGE); with the last chunk (chunk.chunk.last) also
  // the target's size and whatever else the last chunk carries (a stream's
  // groups). `probe` says where the chunk starts. Returns how many.
  virtual std::size_t append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                         std::string_view key,
                                         redis::KeyedCommands& commands) const;

  // Decodes the replies of append_chunk_probe's commands (exactly as many),
  // compares them with the chunk and advances `probe`. A difference found
  // ends the key's comparison (later chunks are not probed); at the last
  // chunk, a target holding more than the source's chunks did is a
  // difference too. A WRONGTYPE or missing key is a difference
  // ("target holds no hash"); other error replies throw redis::ReplyError.
  virtual ValueComparison decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                             ChunkProbe& probe) const;
};

}  // namespace riot
