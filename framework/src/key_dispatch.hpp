#pragma once
// How key events get from the sources to the reader workers.
//
// Two ways, chosen by the pipeline's runtime settings:
// - SharedKeyQueue (a snapshot): any reader takes any batch; the sources'
//   events are regrouped into the readers' batch size.
// - EventLanes (live replication, event_lanes.hpp): each key has one lane,
//   read by one worker, in order; an event for a key already waiting is
//   merged into it.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

#include "bounded_queue.hpp"
#include "riot/record.hpp"
#include "runtime_batching.hpp"

namespace riot::host {

// The lane of a key among `lanes`: the same key always gets the same one.
inline std::size_t lane_of(std::string_view key, std::size_t lanes) noexcept {
  return lanes <= 1 ? 0 : std::hash<std::string_view>{}(key) % lanes;
}

// What became of the events of one push.
struct Admission {
  std::size_t queued = 0;                   // now waiting for a reader
  std::size_t coalesced = 0;                // merged into an event of the same key waiting unread
  std::size_t coalesced_notifications = 0;  // of those, notifications
  std::size_t overflowed = 0;               // notifications that found no room: not queued
};

class KeyDispatch {
 public:
  virtual ~KeyDispatch() = default;

  // Takes every event of `batch` (left empty). Events of walks (scan,
  // reconciliation) wait for room: backpressure. Notifications never wait:
  // without room they overflow, and the caller must make up for them.
  // Nothing once the dispatch is closed or aborted.
  virtual std::optional<Admission> push(KeyBatch& batch) = 0;

  // The next events for reader worker `worker`: waits while none is waiting
  // for it, then takes what is waiting, up to the readers' batch size,
  // without waiting for more. False once closed and drained, or aborted.
  virtual bool pop(std::size_t worker, KeyBatch& out) = 0;

  // No more pushes: pops drain what is left.
  virtual void close() = 0;
  // The run stops: what waits is dropped, pushes and pops fail at once.
  virtual void abort() = 0;

  // Events waiting for a reader now.
  virtual std::size_t waiting() const = 0;
};

// Any reader takes any batch: the sources' events regrouped into batches of
// the readers' size, in one bounded queue.
class SharedKeyQueue final : public KeyDispatch {
 public:
  SharedKeyQueue(std::size_t batch_size, std::size_t queue_batches, std::size_t queue_bytes)
      : queue_(queue_batches, queue_bytes), assembler_(queue_, batch_size) {}

  std::optional<Admission> push(KeyBatch& batch) override {
    const std::size_t count = batch.size();
    // Several source partitions may push at once; the assembler is one.
    const std::lock_guard lock(assembler_mutex_);
    if (!assembler_.add(batch)) return std::nullopt;
    waiting_ += count;
    return Admission{count, 0, 0};
  }

  bool pop(std::size_t /*worker*/, KeyBatch& out) override {
    std::optional<KeyBatch> batch = queue_.pop();
    if (!batch) return false;
    out = std::move(*batch);
    waiting_ -= out.size();
    return true;
  }

  void close() override {
    {
      const std::lock_guard lock(assembler_mutex_);
      assembler_.flush();
    }
    queue_.close();
  }

  void abort() override { queue_.abort(); }

  std::size_t waiting() const override {
    const std::int64_t waiting = waiting_.load(std::memory_order_relaxed);
    return waiting > 0 ? static_cast<std::size_t>(waiting) : 0;
  }

 private:
  BoundedQueue<KeyBatch> queue_;
  std::mutex assembler_mutex_;
  BatchAssembler<KeyEvent> assembler_;
  std::atomic<std::int64_t> waiting_{0};
};

}  // namespace riot::host
