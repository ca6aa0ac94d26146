#pragma once
// What a sink applied from one batch, added to the run's metrics in one go so
// that the shared atomics are touched once per batch, not once per key.

#include <cstdint>

#include "riot/metrics.hpp"
#include "riot/record.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot {

class WriteTally {
 public:
  // Counts a record the target acknowledged: its payload or value bytes, and
  // a written key once the record completes it (the last chunk of a big
  // key), or a deleted key for an erase record.
  void applied(const Record& record) noexcept {
    if (record.kind == RecordKind::erase) {
      ++deleted_;
      return;
    }
    if (record.completes_key()) ++written_;
    bytes_ += values::value_bytes(record);
  }

  // Counts a key the target held and the sink left alone on purpose
  // (replace off): a completed key, not a failure.
  void left_alone(const Record& record) noexcept {
    if (record.completes_key()) ++existing_;
  }

  void add_to(Metrics& metrics) const noexcept {
    if (written_ > 0) Metrics::add(metrics.keys_written, written_);
    if (bytes_ > 0) Metrics::add(metrics.bytes_written, bytes_);
    if (deleted_ > 0) Metrics::add(metrics.keys_deleted, deleted_);
    if (existing_ > 0) Metrics::add(metrics.keys_existing, existing_);
  }

  std::uint64_t written() const noexcept { return written_; }
  std::uint64_t deleted() const noexcept { return deleted_; }
  std::uint64_t bytes() const noexcept { return bytes_; }
  std::uint64_t existing() const noexcept { return existing_; }

 private:
  std::uint64_t written_ = 0;
  std::uint64_t deleted_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t existing_ = 0;
};

}  // namespace riot
