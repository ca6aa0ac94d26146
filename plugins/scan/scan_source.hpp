#pragma once
// source.scan: walks a database with SCAN and emits every page of keys as a
// key batch. On a Redis Cluster it walks every shard in parallel: a partition
// per shard, which the host runs on a thread of its own (one node per shard,
// chosen by read_from, each with its own connection); shards that serve none
// of the wanted slots are skipped. Every run of a partition is a complete
// walk, so the source also serves reconciliation passes.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "node_scan.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/retry.hpp"

namespace riot::scan_plugin {

// Reads match, type, count and key_slots; throws std::invalid_argument
// naming the key at fault.
ScanOptions scan_options_from_config(const nlohmann::json& config);

class ScanSource final : public Source {
 public:
  // Connects at once (to every shard's node on a cluster) so that a wrong
  // address or password fails before the run starts.
  ScanSource(redis::ClientOptions client, ScanOptions options, RetryOptions retry,
             HostContext& host);

  // The sum over the walks of DBSIZE, or of the wanted slots' key counts on
  // a cluster when only some slots are wanted; nothing under a filter that
  // makes them an upper bound only (see current_estimate).
  std::optional<std::uint64_t> estimate_total() override;
  // Under such a filter: the keys the walks will emit, estimated from the
  // share of keys emitted so far over the share of each keyspace walked
  // (scan_progress.hpp); nothing otherwise, or while too little is known.
  std::optional<std::uint64_t> current_estimate() const override;
  std::size_t partition_count() const override { return walks_.size(); }
  std::string partition_name(std::size_t partition) const override;
  void run(std::size_t partition, KeyBatchWriter& out) override;

 private:
  struct Walk {
    std::unique_ptr<NodeScan> scan;
    // The wanted slots of the shard (for the estimate); empty: all it holds.
    std::vector<redis::cluster::SlotRange> counted_slots;
  };

  void plan_cluster(redis::Connection& seed, const std::string& how_found);
  // The node that serves reads of the shard holding `slot` now, from a fresh
  // CLUSTER SLOTS (`spread` picks among replicas, as at the start);
  // thread-safe (walks call it after a failure).
  std::optional<redis::cluster::NodeAddress> locate_shard(std::uint16_t slot, std::size_t spread);
  // Whether the key counts asked before the run (DBSIZE, CLUSTER
  // COUNTKEYSINSLOT) count exactly the keys the walks will emit.
  bool key_counts_are_exact() const;

  redis::ClientOptions client_;
  ScanOptions options_;
  RetryOptions retry_;
  HostContext& host_;
  std::vector<Walk> walks_;
  std::mutex topology_mutex_;  // guards topology_
  redis::cluster::Topology topology_;
};

}  // namespace riot::scan_plugin
