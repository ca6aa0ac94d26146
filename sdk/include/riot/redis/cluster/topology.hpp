#pragma once
// The shape of a Redis Cluster as CLUSTER SLOTS describes it: shards (a
// master, its replicas, the slots it serves) and which shard serves each
// slot. Nodes are named by the address clients reach them at.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/read_from.hpp"

namespace riot::redis::cluster {

struct NodeAddress {
  std::string host;
  std::uint16_t port = 0;

  std::string endpoint() const;  // "host:port" ("[::1]:port" for IPv6)
  bool operator==(const NodeAddress&) const = default;
};

struct Shard {
  NodeAddress master;
  std::vector<NodeAddress> replicas;
  std::vector<SlotRange> slots;  // ascending

  // "0-5460" or "0-100,200-300": for messages.
  std::string describe_slots() const;
};

class Topology {
 public:
  // Reads a CLUSTER SLOTS reply. `seed_host` stands in for nodes announced
  // with an empty or unknown ("?") address, which means "the host you asked".
  // Throws ProtocolError (naming `endpoint`) for a malformed reply.
  static Topology from_cluster_slots(const Reply& reply, std::string_view seed_host,
                                     const std::string& endpoint);

  const std::vector<Shard>& shards() const noexcept { return shards_; }
  // The shard serving `slot`; nothing while the slot is unassigned.
  std::optional<std::size_t> shard_of(std::uint16_t slot) const noexcept;
  std::size_t unassigned_slots() const noexcept;
  // The node ids CLUSTER SLOTS gave (masters and replicas), for telling two
  // clusters apart: servers older than Redis 4 give none.
  const std::vector<std::string>& node_ids() const noexcept { return node_ids_; }

 private:
  static constexpr std::uint16_t kUnassigned = 0xffff;
  std::vector<Shard> shards_;
  std::vector<std::string> node_ids_;
  std::array<std::uint16_t, kSlotCount> shard_by_slot_{};
};

// The node of `shard` that serves reads under `read_from`. Among several
// candidates, `spread` picks one (give each worker its own number so that
// workers share the replicas). Throws std::runtime_error under
// ReadFrom::replica when the shard has no replica.
const NodeAddress& choose_node(const Shard& shard, ReadFrom read_from, std::size_t spread);

// Asks the server on `connection` for the topology (CLUSTER SLOTS). Throws
// ReplyError when the server refuses (not a cluster, or a user without
// +cluster|slots, which the message then asks for); `why_cluster` (how the
// server was found to be a cluster member) ends the message when given.
Topology fetch_topology(Connection& connection, std::string_view why_cluster = {});

// Options to reach `node`: `base` (credentials, TLS, timeouts) with its host
// and port. `read_only` sends READONLY after connecting, which replicas need
// before they serve reads.
ConnectionOptions node_options(const ConnectionOptions& base, const NodeAddress& node,
                               bool read_only);

}  // namespace riot::redis::cluster
