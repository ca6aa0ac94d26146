#include "redis/subscription_cluster_view.hpp"

#include <optional>
#include <vector>

#include "riot/redis/errors.hpp"

namespace riot::redis::detail {

ClusterView::ClusterView(ConnectionOptions base, Connection seed, const std::string& why_cluster)
    : base_(std::move(base)), control_(std::move(seed)) {
  topology_ = cluster::fetch_topology(control_, why_cluster);
}

ConnectionOptions ClusterView::node_options(const cluster::NodeAddress& node) const {
  return cluster::node_options(base_, node, /*read_only=*/false);
}

bool ClusterView::refresh(std::string& problem) {
  const auto ask = [&](Connection& connection) {
    try {
      topology_ = cluster::fetch_topology(connection);
      return true;
    } catch (const Error& error) {
      problem = error.what();
      return false;
    }
  };
  if (ask(control_)) return true;
  std::vector<ConnectionOptions> candidates;
  for (const cluster::Shard& shard : topology_.shards()) {
    candidates.push_back(node_options(shard.master));
    for (const cluster::NodeAddress& replica : shard.replicas)
      candidates.push_back(node_options(replica));
  }
  candidates.push_back(base_);
  for (ConnectionOptions& options : candidates) {
    Connection candidate(std::move(options));
    if (!ask(candidate)) continue;
    control_ = std::move(candidate);  // ask it first next time
    return true;
  }
  return false;
}

}  // namespace riot::redis::detail
