#pragma once
// Regrouping of items into the batch size of the next stage. A source emits
// batches of whatever size suits it (a SCAN page), a reader as many records as
// it read; the stage after them receives exactly the `batch_size` its spec
// asks for (the last batch of a run may be smaller).

#include <cstddef>
#include <utility>
#include <vector>

#include "bounded_queue.hpp"
#include "riot/components.hpp"

namespace riot::host {

template <typename T>
class BatchAssembler {
 public:
  using Batch = std::vector<T>;

  BatchAssembler(BoundedQueue<Batch>& queue, std::size_t batch_size)
      : queue_(queue), batch_size_(batch_size > 0 ? batch_size : 1) {}

  // Moves the items of `items` into batches and pushes every batch that
  // fills; `items` is left empty. Returns false once the queue refuses more
  // (closed or aborted): the run is stopping.
  bool add(Batch& items) {
    if (pending_.empty() && items.size() == batch_size_) {
      // Already the right size: hand the whole vector over, no per-item move.
      return queue_.push(std::move(items));
    }
    for (T& item : items) {
      if (pending_.empty()) pending_.reserve(batch_size_);
      pending_.push_back(std::move(item));
      if (pending_.size() == batch_size_ && !push_pending()) return false;
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
    return queue_.push(std::move(full));
  }

  BoundedQueue<Batch>& queue_;
  const std::size_t batch_size_;
  Batch pending_;
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
