#pragma once
// The interfaces a plugin implements. The host creates one Source per run and
// one Reader / Sink per worker thread (each instance is used by one thread
// only, so it may own a connection without locking).

#include <cstdint>
#include <optional>

#include "riot/record.hpp"

namespace riot {

// Receives key batches from a source. push() blocks while the next stage is
// full (backpressure) and returns false once the run is cancelled, after which
// the source should return.
class KeyBatchWriter {
 public:
  virtual ~KeyBatchWriter() = default;
  virtual bool push(KeyBatch&& batch) = 0;
};

class Source {
 public:
  virtual ~Source() = default;

  // Number of keys this source expects to emit (for progress), if known.
  // Called once before run(). Nothing rather than a figure known to be far
  // off (DBSIZE under a key filter): no percentage beats a wrong one.
  virtual std::optional<std::uint64_t> estimate_total() { return std::nullopt; }

  // The source's latest estimate of the keys it will have emitted in all,
  // refined while run() runs (a filtered scan learns the share of keys that
  // match as it goes). Nothing: no better figure than the last one. The host
  // calls it from another thread, a few times a second and once after run()
  // returned, so it must be thread-safe and cheap.
  virtual std::optional<std::uint64_t> current_estimate() const { return std::nullopt; }

  // Emits key batches until exhausted or cancelled. Throws on a fatal error.
  virtual void run(KeyBatchWriter& out) = 0;
};

// A reader (codec) turns key events into records by reading the source.
class Reader {
 public:
  virtual ~Reader() = default;

  // Reads every key of `keys` and appends one record per key still present to
  // `out` (keys gone meanwhile are counted as skipped, or become erase records
  // where the reader is configured to propagate deletes). Throws on a
  // connection-level failure.
  virtual void read(KeyBatch& keys, RecordBatch& out) = 0;
};

// A sink applies records to the target.
class Sink {
 public:
  virtual ~Sink() = default;

  // Applies every record of the batch. A record that fails is reported through
  // HostContext::report_failure with its key; only failures that make further
  // writes pointless (connection lost beyond retries) are thrown.
  virtual void write(RecordBatch& records) = 0;

  // Called once after the last batch, before the sink is destroyed.
  virtual void flush() {}
};

}  // namespace riot
