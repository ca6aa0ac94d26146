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
#include <optional>
#include <string>
#include <string_view>

#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/retrying_pipeline.hpp"

namespace riot::values {

inline constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;  // 1 MiB
inline constexpr int kDefaultMemorySamples = 5;

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
  // cannot chunk), every record with `expiry`; the last chunk goes to `out`,
  // the others through `early`. Returns false when the key was gone or of
  // another type by then (nothing appended). For a reader that found the key
  // big by other means (codec.dump and --mem-limit).
  bool read_in_chunks(KeyEvent& event, std::string_view type, Expiry expiry, RecordBatch& out,
                      RecordBatchWriter& early);

 private:
  struct State;
  redis::Client& client_;
  RetryingPipeline& pipeline_;
  ValueReadOptions options_;
  HostContext& host_;
};

}  // namespace riot::values
