#pragma once
// The Client of a Redis Cluster: one connection per node it routes to, a
// slot → node table built from CLUSTER SLOTS, and the redirections of the
// cluster protocol (MOVED, ASK) followed per command.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "riot/redis/client.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection.hpp"

namespace riot::redis::cluster {

class ClusterClient final : public Client {
 public:
  // Reads the topology through `seed` and connects to every node reads or
  // writes will go to, so that an unreachable node fails now, by name.
  // `how_found` says how cluster mode was decided, for describe_mode().
  ClusterClient(ClientOptions options, Connection& seed, std::string how_found);

  void pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) override;
  bool is_cluster() const noexcept override { return true; }
  std::string describe() const override { return description_; }
  std::string describe_mode() const override;
  const EndpointIdentity& identity() const noexcept override { return identity_; }

 private:
  struct Node {
    NodeAddress address;
    Connection connection;
  };
  // Where one command of the batch goes in a round.
  struct Target {
    std::size_t command;  // index in the batch
    std::size_t node;     // index in nodes_
    bool asking;          // preceded by ASKING (an ASK redirection)
  };
  static constexpr std::uint16_t kNoNode = 0xffff;

  // Replaces the topology and the routes with what a node answers now; keeps
  // the connections of nodes still routed to. `strict` makes read-from
  // replica refuse a shard without replica (at start); later, while a failed
  // over shard has lost its replica, its master serves instead.
  void refresh(bool strict);
  void apply(Topology topology, bool strict);
  // CLUSTER SLOTS from the first node that answers; throws IoError when none
  // can be reached (ReplyError when all refuse).
  Topology ask_for_topology();
  std::size_t node_for(const NodeAddress& address);
  // Sends targets_ (grouped per node, one pipeline each) and stores each
  // reply at replies[base + command].
  void send_round(const KeyedCommands& commands, std::vector<Reply>& replies, std::size_t base);
  void send_to_node(const KeyedCommands& commands, std::size_t node, std::size_t begin,
                    std::size_t end, std::vector<Reply>& replies, std::size_t base);
  // The redirections of the round just sent, into redirected_. Returns
  // whether there were any.
  bool collect_redirections(std::vector<Reply>& replies, std::size_t base);

  ClientOptions options_;
  std::string description_;
  std::string how_found_;
  Topology topology_;
  EndpointIdentity identity_;  // from the topology at the start
  std::string name_refusal_;   // the seed's CLIENT SETNAME refusal, for describe_mode()
  std::vector<std::unique_ptr<Node>> nodes_;
  std::array<std::uint16_t, kSlotCount> route_{};
  bool stale_ = false;  // refresh before the next batch

  // Scratch, reused across batches.
  std::vector<Target> targets_;
  std::vector<Target> redirected_;
  CommandBuffer node_commands_;
  std::vector<Reply> node_replies_;
};

}  // namespace riot::redis::cluster
