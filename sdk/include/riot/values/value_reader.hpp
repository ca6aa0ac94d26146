#pragma once
// Reading keys as structured values through their datatypes: the engine of
// codec.struct, and of codec.dump for the big keys it sends by type.
//
// A batch costs two pipelined round trips whatever its size: TYPE and PTTL
// of every key (plus MEMORY USAGE when big keys are looked for), then every
// key's whole read through its datatype. A key bigger than the chunk
// threshold is read in chunks instead, one pipelined command group per chunk,
// each chunk handed over (RecordBatchWriter) before the next is read, so that
// riot holds about one chunk of it at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/components.hpp"
#include "riot/datatype.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/retrying_pipeline.hpp"

namespace riot::values {

inline constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;  // 1 MiB
inline constexpr int kDefaultMemorySamples = 5;
// codec.struct's default chunk_above_bytes: a value this big is held whole
// by a reader and a sink worker (and, decoded, takes a few times this much),
// so with the default 4 + 4 workers and the 32 MiB sink queue riot stays
// near 100 MB whatever the keys; see docs/datatypes.md.
inline constexpr std::uint64_t kDefaultChunkAboveBytes = std::uint64_t{4} << 20;  // 4 MiB

struct ValueReadOptions {
  // A key whose MEMORY USAGE exceeds this many bytes is read in chunks
  // (when its datatype can); 0: every key is read whole and MEMORY USAGE is
  // not sent.
  std::uint64_t chunk_above_bytes = 0;
  // MEMORY USAGE ... SAMPLES n: nested values sampled per aggregate.
  int memory_samples = kDefaultMemorySamples;
  // About how many bytes of a big key each chunk holds.
  std::size_t chunk_bytes = kDefaultChunkBytes;
  // A key gone before it was read becomes an erase record (live replication).
  bool erase_missing = false;
  // Keep keys of this type only; others count as gone.
  std::optional<std::string> only_type;
};

class ValueReader {
 public:
  // `client` and `pipeline` belong to the caller and outlive the reader.
  ValueReader(redis::Client& client, RetryingPipeline& pipeline, ValueReadOptions options,
              HostContext& host);

  // Reads every key of `keys` as Reader::read does: a record per key still
  // present (a value record, or several for a big key, handed over through
  // `early`), erase records or skipped keys for those gone. A key of a type
  // no datatype serves is reported as failed, naming the type. A key whose
  // type changed between TYPE and its read is read once more.
  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early);

  // Reads one key known to be of `type` in chunks (whole, if its datatype
  // cannot chunk), every record with `expiry`: its chunks through `early`
  // (the last too), or a value that fits one chunk to `out`. Returns false when the key was gone or
  // of another type by then (nothing appended, unless chunks were handed over already: then an
  // erase record of the key goes to `out`, which deletes the key and its staging key on the
  // target). A type no datatype serves is reported as failed (true, nothing appended). For a reader
  // that found the key big by other means (codec.dump and --mem-limit). Throws as read().
  bool read_in_chunks(KeyEvent& event, std::string_view type, Expiry expiry, RecordBatch& out,
                      RecordBatchWriter& early);

 private:
  // What the first round learnt of a key.
  struct KeyFacts {
    std::string type;          // "none" when gone
    std::int64_t pttl = -2;    // PTTL's answer
    std::int64_t memory = -1;  // MEMORY USAGE, -1 when not asked or refused
  };
  enum class ChunkedRead { complete, gone, wrong_type, stopped };

  // Sends the commands `encode` appends until the source answers them, as
  // the retry policy allows: fills replies_ and returns when the answered
  // attempt was sent. When the run stops first, or the retries run out, every
  // key of `keys` is reported as failed ("not read: ..."); then nothing is
  // returned, or the error is thrown.
  std::optional<Expiry::Clock::time_point> fetch(
      const std::function<void(redis::KeyedCommands&)>& encode,
      const std::vector<std::string_view>& keys);
  // Round 1 for every key of `keys`; nothing when the run stopped.
  std::optional<Expiry::Clock::time_point> read_facts(const KeyBatch& keys,
                                                      std::vector<KeyFacts>& facts);
  // Throws ServerRefusalError for an error reply about the whole source (a
  // user without a command); returns the error reply of another failure, ""
  // for none.
  std::string judge_error(const redis::Reply& reply) const;
  // Runs `decode` over `replies` and says how the key's read ended; `error`
  // is set when the key failed.
  ReadStatus decode_judged(std::span<const redis::Reply> replies,
                           const std::function<ReadStatus()>& decode, std::string& error) const;
  void decide_memory_refused(const redis::Reply& reply);
  // Reads `event`'s key in chunks through `datatype`.
  ChunkedRead read_chunks(KeyEvent& event, const Datatype& datatype, Expiry expiry,
                          RecordBatch& out, RecordBatchWriter& early);
  // A key gone: an erase record in `out`, or counted as skipped.
  void settle_gone(KeyEvent& event, RecordBatch& out, std::uint64_t& skipped) const;
  // One pass of read(); the keys whose type changed meanwhile are moved to
  // `changed` when `changed` is given, else reported.
  void read_pass(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early, KeyBatch* changed);

  redis::Client& client_;
  RetryingPipeline& pipeline_;
  ValueReadOptions options_;
  HostContext& host_;
  bool memory_refused_ = false;  // MEMORY USAGE refused: every key is read whole
  std::vector<redis::Reply> replies_;
};

}  // namespace riot::values
