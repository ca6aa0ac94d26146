#include "stage_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_stage_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto count = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("N")->default_value(default_value);
  };
  po::options_description group("Reading and writing");
  auto add = group.add_options();
  add("read-threads,read-pool,source-pool", count(defaults.read_threads),
      "Reader threads, each with its own source connection. Aliases: --read-pool, "
      "--source-pool.");
  add("read-from", po::value<std::string>()->value_name("NODE")->default_value(defaults.read_from),
      "On a source cluster, the node of each shard that is scanned and read: master, replica "
      "(each shard must have one), replica-preferred (a replica when there is one) or any.");
  add("read-batch", count(defaults.read_batch), "Keys per read batch (one pipelined round trip).");
  add("read-queue", count(defaults.read_queue),
      "Keys that may wait for the readers; a full queue pauses the scan.");
  add("write-threads,target-pool", count(defaults.write_threads),
      "Writer threads, each with its own target connection. Alias: --target-pool.");
  add("write-batch", count(defaults.write_batch),
      "Records per write batch (one pipelined round trip).");
  add("write-queue", count(defaults.write_queue),
      "Records that may wait for the writers; a full queue pauses the readers.");
  options.add(group);
}

}  // namespace riot::app
