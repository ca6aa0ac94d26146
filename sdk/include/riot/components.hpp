#pragma once
// The interfaces a plugin implements. The host creates each source of the
// pipeline once and one Reader / Sink per worker thread (each reader or sink
// instance is used by one thread only, so it may own a connection without
// locking).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "riot/record.hpp"

namespace riot {

// Receives key batches from a source. push() blocks while the next stage is
// full (backpressure: a scan slows down) and returns false once the run is
// cancelled, after which the source should return. Notification events are
// never blocked: when too many wait, the host takes note and reconciles later
// (a subscriber must keep reading, or the server drops it).
class KeyBatchWriter {
 public:
  virtual ~KeyBatchWriter() = default;
  virtual bool push(KeyBatch&& batch) = 0;

  // Set when the host asks an unbounded source to finish cleanly (idle
  // timeout, a first SIGINT during live replication): the source pushes the
  // events it has read, then returns from run(). Cheap; poll it at least
  // every 100 ms.
  virtual bool finish_requested() const = 0;

  // An unbounded source says when it cannot follow changes (a subscription
  // lost and being restored) and when it follows again: meanwhile the run is
  // not idle, whatever its idle timeout, since changes are being missed.
  // Follow a gap with HostContext::request_reconciliation once following
  // again.
  virtual void following(bool yes) { (void)yes; }
};

// A source of key events. The host runs it in two steps: connect() for every
// source of the pipeline, in order, before any runs (so that a subscription
// exists before the scan starts and no change falls between them), then
// run() once per partition, each partition on a thread of its own that the
// host creates and names (sources start no threads of their own).
class Source {
 public:
  virtual ~Source() = default;

  // Subscribes, checks the server's settings (throwing refuses the run before
  // anything runs). Constructors already connect, so that a wrong address or
  // password fails at creation.
  virtual void connect() {}

  // The partitions run() is called for (a shard each, for a cluster walk);
  // fixed once connect() returned.
  virtual std::size_t partition_count() const { return 1; }

  // "shard 0-5460": names the partition in logs; empty for a single one.
  virtual std::string partition_name(std::size_t partition) const {
    (void)partition;
    return {};
  }

  // Whether run() ends on its own (a walk of the keyspace) or follows changes
  // until KeyBatchWriter::finish_requested() (keyspace notifications).
  virtual bool unbounded() const { return false; }

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

  // Emits the key batches of one partition until exhausted, finished or
  // cancelled; different partitions run concurrently. Throws on a fatal
  // error. A bounded source that serves reconciliation passes is run again
  // for each pass: every call is a fresh, complete walk.
  virtual void run(std::size_t partition, KeyBatchWriter& out) = 0;
};

// Where a reader hands records over before its read() returns: the chunks of
// a big key, one at a time, so that the reader never holds the whole value.
class RecordBatchWriter {
 public:
  virtual ~RecordBatchWriter() = default;

  // Passes `records` on towards the sinks now, after everything handed over
  // before and before whatever read() leaves in its `out`, and leaves it
  // empty. Blocks while the sinks are behind (backpressure). Returns false
  // once the run is stopping: return from read() then.
  virtual bool hand_over(RecordBatch& records) = 0;
};

// A reader (codec) turns key events into records by reading the source.
class Reader {
 public:
  virtual ~Reader() = default;

  // Reads every key of `keys` and appends one record per key still present to
  // `out` (keys gone meanwhile are counted as skipped, or become erase records
  // where the reader is configured to propagate deletes), each with the
  // origin and observation time of its event (Record::take_event_context).
  // A key read in chunks makes several records (Record::chunk), handed over
  // through `early` as they are read; the host passes on what is left in
  // `out` when read() returns. Throws on a connection-level failure.
  virtual void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) = 0;
};

// A sink applies records to the target.
class Sink {
 public:
  virtual ~Sink() = default;

  // Applies every record of the batch, in order (the chunks of a big key
  // come in order, possibly spread over several batches). A record that fails is reported through
  // HostContext::report_failure with its key; only failures that make further
  // writes pointless (connection lost beyond retries) are thrown.
  virtual void write(RecordBatch& records) = 0;

  // Called once after the last batch, before the sink is destroyed.
  virtual void flush() {}
};

// A comparator checks the target against what a reader read from the source.
// It takes the place of the sink: one instance per worker thread, fed record
// batches in order, a key's records always to the same instance.
//
// Each record stands for one key of the source as the reader saw it: a DUMP,
// a value (whole, or the chunks of a big key in order, possibly spread over
// several batches), a digest (quick comparison), or an erase record for a key
// the source does not hold (which is an extra key if the target holds it).
// The comparator reads the same keys from the target, in pipelines, never a
// round trip per key, and reports each key's outcome through
// HostContext::report_equal / report_difference: exactly one outcome per key
// the source or the target holds, none for a key that neither holds. A key
// found different is compared once more (both sides read again) before it is
// reported, so that a key written on the source meanwhile is not reported
// when the second look finds it equal.
class Comparator {
 public:
  virtual ~Comparator() = default;

  // Compares every key of the batch. A key that cannot be compared (a reply
  // error of the target for that key) is reported through
  // HostContext::report_failure; only failures that make further comparison
  // pointless are thrown.
  virtual void compare(RecordBatch& records) = 0;

  // Called once after the last batch, before the comparator is destroyed.
  virtual void flush() {}
};

}  // namespace riot
