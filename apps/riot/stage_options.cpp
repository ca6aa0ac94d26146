#include "stage_options.hpp"

#include "option_values.hpp"
#include "read_from_option.hpp"

namespace riot::app {

void read_stage_options(const po::variables_map& values, ReplicateOptions& options) {
  options.read_from = read_from_option(values["read-from"].as<std::string>());
  options.read_threads = read_bounded(values, "read-threads", 1, host::kMaxStageThreads);
  options.read_batch = read_bounded(values, "read-batch", 1, host::kMaxBatchSize);
  options.read_queue = read_bounded(values, "read-queue", 1, host::kMaxQueueCapacity);
  options.write_threads = read_bounded(values, "write-threads", 1, host::kMaxStageThreads);
  options.write_batch = read_bounded(values, "write-batch", 1, host::kMaxBatchSize);
  options.write_queue = read_bounded(values, "write-queue", 1, host::kMaxQueueCapacity);
}

}  // namespace riot::app
