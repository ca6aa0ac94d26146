#pragma once
// Regrouping of items into the batch size of the next stage. A source emits
// batches of whatever size suits it (a SCAN page), a reader as many records as
// it read; the stage after them receives exactly the `batch_size` its spec
// asks for (the last batch of a run may be smaller).

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "bounded_queue.hpp"
#include "riot/components.hpp"

namespace riot::host {

// The weight of an item for byte limits: its key and value bytes.
inline std::size_t item_bytes(const KeyEvent& event) noexcept {
  return event.key.size();
}
inline std::size_t item_bytes(const Record& record) noexcept {
  return record.weight();
}

template <typename T>
class BatchAssembler {
 public:
  using Batch = std::vector<T>;

  // A batch ends at `batch_size` items or once it weighs `batch_bytes` (0: no
  // byte limit), whichever comes first.
  BatchAssembler(BoundedQueue<Batch>& queue, std::size_t batch_size, std::size_t batch_bytes = 0)
      : queue_(queue),
        batch_size_(batch_size > 0 ? batch_size : 1),
        batch_bytes_(batch_bytes > 0 ? batch_bytes : std::numeric_limits<std::size_t>::max()) {}

  // Moves the items of `items` into batches and pushes every batch that
  // fills; `items` is left empty. Returns false once the queue refuses more
  // (closed or aborted): the run is stopping.
  bool add(Batch& items) {
    if (pending_.empty() && items.size() == batch_size_) {
      // Already the right size and light enough: hand the whole vector over,
      // no per-item move.
      std::size_t bytes = 0;
      for (const T& item : items) bytes += item_bytes(item);
      if (bytes < batch_bytes_) {
        const bool pushed = queue_.push(std::move(items), bytes);
        items.clear();
        return pushed;
      }
    }
    for (T& item : items) {
      if (pending_.empty()) pending_.reserve(batch_size_);
      pending_bytes_ += item_bytes(item);
      pending_.push_back(std::move(item));
      if ((pending_.size() == batch_size_ || pending_bytes_ >= batch_bytes_) && !push_pending())
        return false;
    }
    items.clear();
    return true;
  }

  // Pushes the last, partial batch. Returns false if the queue refused it.
  bool flush() { return pending_.empty() || push_pending(); }

 private:
  bool push_pending() {
    Batch full;
    full.swap(pending_);
    const std::size_t bytes = pending_bytes_;
    pending_bytes_ = 0;
    return queue_.push(std::move(full), bytes);
  }

  BoundedQueue<Batch>& queue_;
  const std::size_t batch_size_;
  const std::size_t batch_bytes_;
  Batch pending_;
  std::size_t pending_bytes_ = 0;
};

// What a source writes to: its key batches regrouped into the reader's batch
// size, into the queue in front of the readers.
class QueueKeyBatchWriter final : public KeyBatchWriter {
 public:
  QueueKeyBatchWriter(BoundedQueue<KeyBatch>& queue, std::size_t batch_size)
      : assembler_(queue, batch_size) {}

  bool push(KeyBatch&& batch) override { return assembler_.add(batch); }
  bool flush() { return assembler_.flush(); }

 private:
  BatchAssembler<KeyEvent> assembler_;
};

}  // namespace riot::host
