#include "null_sink.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>

namespace riot::null_plugin {

// Counts each record as sink.restore would on success (dump records as
// written with their payload bytes, erase records as deleted), so a dry run's
// summary reads like the real run's.
void NullSink::write(RecordBatch& records) {
  std::uint64_t written = 0;
  std::uint64_t deleted = 0;
  std::uint64_t bytes = 0;
  for (const Record& record : records) {
    if (record.kind == RecordKind::erase) {
      ++deleted;
    } else {
      ++written;
      bytes += record.payload.size();
    }
  }
  Metrics& metrics = host_.metrics();
  Metrics::add(metrics.keys_written, written);
  Metrics::add(metrics.bytes_written, bytes);
  if (deleted > 0) Metrics::add(metrics.keys_deleted, deleted);
  host_.logger().debug("sink.null: dropped {} records ({} bytes)", records.size(), bytes);
}

}  // namespace riot::null_plugin
