#pragma once
// Counters shared by every stage of a run. Components add per batch, not per
// key, so that the atomics stay off the hot path.

#include <atomic>
#include <cstdint>

namespace riot {

struct Metrics {
  std::atomic<std::uint64_t> keys_scanned{0};  // key events produced by sources
  std::atomic<std::uint64_t> keys_read{0};     // records produced by readers
  std::atomic<std::uint64_t> keys_skipped{0};  // keys gone before they could be read
  // Keys a key transform left out (transform.key_filter), never read.
  std::atomic<std::uint64_t> keys_filtered{0};
  std::atomic<std::uint64_t> keys_written{0};   // records applied by sinks
  std::atomic<std::uint64_t> keys_deleted{0};   // erase records applied by sinks
  std::atomic<std::uint64_t> keys_failed{0};    // records a sink could not apply
  std::atomic<std::uint64_t> keys_existing{0};  // left alone: the target held them, replace off
  std::atomic<std::uint64_t> keys_expired{0};  // records whose TTL ran out before they were written
  std::atomic<std::uint64_t> bytes_read{0};    // payload bytes read from the source
  std::atomic<std::uint64_t> bytes_written{0};  // payload bytes written to the target
  // Live replication.
  std::atomic<std::uint64_t> events_received{0};    // keyspace notifications taken in
  std::atomic<std::uint64_t> events_coalesced{0};   // merged into an event of the same key waiting
  std::atomic<std::uint64_t> events_overflowed{0};  // not queued: too many events were waiting
  std::atomic<std::uint64_t> events_applied{0};  // records of notifications the target acknowledged
  std::atomic<std::uint64_t> recoveries{0};      // reconciliation passes requested

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
};

}  // namespace riot
