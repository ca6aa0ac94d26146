#include "null_sink.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>

#include "riot/write_tally.hpp"

namespace riot::null_plugin {

// Counts each record as sink.restore would on success (dump records as
// written with their payload bytes, erase records as deleted), so a dry run's
// summary reads like the real run's.
void NullSink::write(RecordBatch& records) {
  WriteTally tally;
  for (const Record& record : records) tally.applied(record);
  tally.add_to(host_.metrics());
  host_.logger().debug("dropped {} records ({} bytes)", records.size(), tally.bytes());
}

}  // namespace riot::null_plugin
