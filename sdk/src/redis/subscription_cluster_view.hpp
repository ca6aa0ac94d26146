#pragma once
// A subscription's view of a Redis Cluster: the topology as CLUSTER SLOTS
// last told it, asked again of any node that answers. Subscribed connections
// cannot run CLUSTER SLOTS, so the view keeps a connection of its own.

#include <string>

#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection.hpp"

namespace riot::redis::detail {

class ClusterView {
 public:
  // Reads the topology through `seed`, a connected node of the cluster.
  // Throws as cluster::fetch_topology does; `why_cluster` ends its message.
  ClusterView(ConnectionOptions base, Connection seed, const std::string& why_cluster);

  const cluster::Topology& topology() const noexcept { return topology_; }

  // Asks the node that answered last, then every node of the last topology
  // (masters and replicas: after a failover the old master may be gone),
  // then the seed the user gave. Returns false, with the last node's error
  // in `problem`, when none answered; the topology is then unchanged.
  bool refresh(std::string& problem);

  // Options to reach a node of the cluster.
  ConnectionOptions node_options(const cluster::NodeAddress& node) const;

 private:
  ConnectionOptions base_;
  Connection control_;
  cluster::Topology topology_;
};

}  // namespace riot::redis::detail
