#pragma once
// A comparator in the sink's place: the runtime feeds both alike (same
// lanes, a key's records in order to one worker, the same batching, queues
// and backpressure, a flush at the end), so a comparing pipeline runs on the
// very machinery a replicating one does.

#include <memory>
#include <utility>

#include "riot/components.hpp"

namespace riot::host {

class ComparingSink final : public Sink {
 public:
  explicit ComparingSink(std::unique_ptr<Comparator> comparator)
      : comparator_(std::move(comparator)) {}

  void write(RecordBatch& records) override { comparator_->compare(records); }
  void flush() override { comparator_->flush(); }

 private:
  std::unique_ptr<Comparator> comparator_;
};

}  // namespace riot::host
