#include "scan_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "other_databases.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/server_identity.hpp"

namespace riot::scan_plugin {
namespace {

// The slots of `shard` that `wanted` holds.
std::vector<redis::cluster::SlotRange> wanted_slots_of(const redis::cluster::Shard& shard,
                                                       const redis::cluster::SlotSet& wanted) {
  redis::cluster::SlotSet served;
  for (const redis::cluster::SlotRange& range : shard.slots) served.add(range);
  return (served & wanted).ranges();
}

}  // namespace

ScanOptions scan_options_from_config(const nlohmann::json& config) {
  ScanOptions options;
  options.match = config.value("match", options.match);
  if (auto type = config.find("type"); type != config.end() && !type->is_null()) {
    options.type = type->get<std::string>();
  }
  options.count = config.value("count", options.count);
  options.side = config.value("side", options.side);
  if (auto slots = config.find("key_slots"); slots != config.end() && !slots->is_null()) {
    try {
      options.key_slots = redis::cluster::SlotSet::parse(slots->get<std::string>());
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(std::string("source setting 'key_slots': ") + error.what());
    }
  }
  return options;
}

ScanSource::ScanSource(redis::ClientOptions client, ScanOptions options, RetryOptions retry,
                       HostContext& host)
    : client_(std::move(client)), options_(std::move(options)), retry_(retry), host_(host) {
  redis::Connection seed(client_.connection);
  seed.connect();
  const redis::ClusterModeDecision mode =
      redis::decide_cluster_mode(seed, client_.cluster, client_.probe);
  if (mode.cluster) {
    plan_cluster(seed, mode.how_found);
    host_.report_endpoint(EndpointUse::read,
                          redis::identify_cluster(topology_, client_.connection));
  } else {
    host_.logger().info("{} is a single server ({}){}", seed.describe(), mode.how_found,
                        redis::describe_name_refusal(seed.client_name_refusal()));
    host_.report_endpoint(EndpointUse::read, redis::identify_server(seed));
    // Keys of the target's other databases are none of the copy's business.
    if (options_.side == "source") report_other_databases(seed, host_);
    auto scan = std::make_unique<NodeScan>(client_.connection, options_, retry_, host_, "");
    walks_.push_back({std::move(scan), {}});
  }
  for (Walk& walk : walks_) walk.scan->connect();
}

void ScanSource::plan_cluster(redis::Connection& seed, const std::string& how_found) {
  topology_ = redis::cluster::fetch_topology(seed, how_found);
  const bool read_only = client_.read_from != redis::cluster::ReadFrom::master;
  for (const redis::cluster::Shard& shard : topology_.shards()) {
    std::vector<redis::cluster::SlotRange> wanted = wanted_slots_of(shard, options_.key_slots);
    if (wanted.empty()) continue;  // holds none of the wanted slots
    const redis::cluster::NodeAddress& node =
        redis::cluster::choose_node(shard, client_.read_from, walks_.size());
    const std::uint16_t first_slot = shard.slots.front().first;
    auto scan = std::make_unique<NodeScan>(
        redis::cluster::node_options(client_.connection, node, read_only), options_, retry_, host_,
        "slots " + shard.describe_slots(),
        [this, first_slot, spread = walks_.size()] { return locate_shard(first_slot, spread); });
    if (options_.key_slots.is_all()) wanted.clear();  // DBSIZE counts them all
    walks_.push_back({std::move(scan), std::move(wanted)});
  }
  std::size_t replicas = 0;
  for (const redis::cluster::Shard& shard : topology_.shards()) replicas += shard.replicas.size();
  host_.logger().info(
      "{} is a Redis Cluster of {} masters and {} replicas ({}): scanning {} of its "
      "shards in parallel, on their {}",
      seed.describe(), topology_.shards().size(), replicas, how_found, walks_.size(),
      client_.read_from == redis::cluster::ReadFrom::master
          ? std::string("masters")
          : "nodes chosen by read-from " + std::string(to_string(client_.read_from)));
  if (walks_.empty())
    host_.logger().warn("no shard of {} serves any of the slots {}", seed.describe(),
                        options_.key_slots.to_string());
}

std::optional<redis::cluster::NodeAddress> ScanSource::locate_shard(std::uint16_t slot,
                                                                    std::size_t spread) {
  const std::lock_guard lock(topology_mutex_);
  // Any node that answers will do: the masters known, then the seed.
  std::vector<redis::ConnectionOptions> candidates;
  for (const redis::cluster::Shard& shard : topology_.shards()) {
    candidates.push_back(redis::cluster::node_options(client_.connection, shard.master, false));
    for (const auto& replica : shard.replicas)
      candidates.push_back(redis::cluster::node_options(client_.connection, replica, false));
  }
  candidates.push_back(client_.connection);
  for (redis::ConnectionOptions& options : candidates) {
    try {
      redis::Connection connection(std::move(options));
      redis::cluster::Topology topology = redis::cluster::fetch_topology(connection);
      const std::optional<std::size_t> shard = topology.shard_of(slot);
      if (!shard) continue;  // this node's view lags: ask another
      const redis::cluster::Shard& serving = topology.shards()[*shard];
      // A shard whose replica was just promoted may have none left: its
      // master serves reads then, whatever read-from says.
      const redis::cluster::ReadFrom read_from =
          client_.read_from == redis::cluster::ReadFrom::replica && serving.replicas.empty()
              ? redis::cluster::ReadFrom::master
              : client_.read_from;
      redis::cluster::NodeAddress node = redis::cluster::choose_node(serving, read_from, spread);
      topology_ = std::move(topology);
      return node;
    } catch (const redis::Error& error) {
      host_.logger().debug("no topology from a node: {}", error.what());
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ScanSource::estimate_total() {
  if (!key_counts_are_exact()) return std::nullopt;  // current_estimate() tells, later
  std::uint64_t total = 0;
  for (Walk& walk : walks_) {
    const std::optional<std::uint64_t> estimate = walk.scan->estimate(walk.counted_slots);
    if (!estimate) return std::nullopt;
    total += *estimate;
  }
  return total;
}

bool ScanSource::key_counts_are_exact() const {
  if (options_.match != "*" || options_.type) return false;
  if (options_.key_slots.is_all()) return true;
  // The wanted slots are counted on a cluster (CLUSTER COUNTKEYSINSLOT), not
  // on a single server (DBSIZE).
  return std::all_of(walks_.begin(), walks_.end(),
                     [](const Walk& walk) { return !walk.counted_slots.empty(); });
}

std::optional<std::uint64_t> ScanSource::current_estimate() const {
  if (key_counts_are_exact()) return std::nullopt;
  std::vector<WalkSample> samples;
  samples.reserve(walks_.size());
  for (const Walk& walk : walks_) samples.push_back(walk.scan->progress());
  return estimate_total_keys(samples);
}

std::string ScanSource::partition_name(std::size_t partition) const {
  return walks_.size() > 1 ? walks_.at(partition).scan->describe() : std::string();
}

void ScanSource::run(std::size_t partition, KeyBatchWriter& out) {
  // A walk that fails stops the run (the host cancels the others).
  walks_.at(partition).scan->run(out);
}

}  // namespace riot::scan_plugin
