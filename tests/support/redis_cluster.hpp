#pragma once
// A real Redis Cluster for the tests: redis-server nodes on free loopback
// ports (see RedisServer), joined with `redis-cli --cluster create`, plus the
// topology changes the tests make happen for real: manual failover, a master
// killed so that its replica takes over, slots resharded while a client
// writes.
//
// Not thread-safe, with one exception: move_slots() uses connections of its
// own and may run in a background thread while the test's thread does
// anything but change the topology itself (kill, restart, failover).

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"
#include "support/redis_server.hpp"

namespace riot::test {

struct RedisClusterOptions {
  int masters = 3;  // redis-cli needs 3 at least
  int replicas_per_master = 0;
  // Every node TLS-only (tls-port, `port 0`), with tls-cluster and
  // tls-replication; the nodes present the server certificate, or the client
  // certificate (tls-client-cert-file) when one is given.
  std::optional<RedisServerTls> tls;
  std::vector<std::string> config;               // extra lines for every node, written last
  std::chrono::milliseconds node_timeout{2000};  // cluster-node-timeout
};

class RedisCluster {
 public:
  // Returns once every slot is assigned, every node reports cluster_state:ok
  // and knows (and reaches) every node, all nodes agree on the slot map,
  // every master has its replicas and every replica's link to its master is
  // up. Throws naming what did not happen (with the nodes' log tails).
  explicit RedisCluster(RedisClusterOptions options = {});
  ~RedisCluster();
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // The redis:// (or rediss://) URI of a running master: the seed for riot.
  std::string uri() const;
  // How long the constructor took.
  std::chrono::milliseconds startup_time() const { return startup_time_; }

  std::size_t node_count() const { return nodes_.size(); }
  RedisServer& node(std::size_t index);
  const RedisServer& node(std::size_t index) const;
  const std::string& node_id(std::size_t index) const;  // CLUSTER MYID
  // Whether the node's process runs (not killed or stopped by the test).
  bool is_running(std::size_t index) const;

  // Asked now (ROLE of every running node): roles change with failovers.
  std::vector<std::size_t> master_indices();
  std::vector<std::size_t> replica_indices();
  // A running replica of the master (the lowest index), as the cluster sees it.
  std::optional<std::size_t> replica_of(std::size_t master_index);
  // The slots the master serves, ascending, from its own CLUSTER SLOTS.
  std::vector<int> slots_of(std::size_t master_index);

  // Options for a client of one node (TLS included) and a connected client.
  redis::ConnectionOptions client_options(std::size_t index) const;
  redis::Connection connect(std::size_t index) const;

  // FLUSHALL on every master: tests that share a cluster start empty.
  void flushall();

  // Manual failover: CLUSTER FAILOVER on a replica of the master (sent again
  // if the handshake times out). Returns when the replica is master and the
  // old master its replica, and the cluster is healthy again (see
  // wait_until_healthy). Throws when the master has no replica.
  void failover(std::size_t master_index, std::chrono::seconds timeout = std::chrono::seconds(60));

  // SIGKILL to the node's process (by its pid, no SHUTDOWN), which is reaped
  // at once; returns without waiting for the cluster to notice. A killed
  // master's replica is promoted after node_timeout; wait_until_healthy()
  // waits for that.
  void kill_node(std::size_t index);
  // Starts a killed (or stopped) node again, same port and directory: it
  // rejoins from its nodes.conf (a killed master comes back as a replica of
  // its successor). Returns when it answers PING; wait_until_healthy() next.
  void restart_node(std::size_t index);

  // Waits until the running nodes form a healthy cluster: every slot served
  // by a running master, cluster_state:ok on every running node, every
  // running node reachable and not flagged failing by any other, the same
  // slot map everywhere, every running replica's link up. Nodes that are not
  // running are skipped. Throws naming the last problem seen.
  void wait_until_healthy(std::chrono::seconds timeout = std::chrono::seconds(60));

  // Moves `slot_count` slots (the lowest the source serves) with their keys
  // from one master to another, as `redis-cli --cluster reshard` does: per
  // slot SETSLOT IMPORTING on the target, MIGRATING on the source, batches of
  // GETKEYSINSLOT + MIGRATE until the slot is empty, then SETSLOT NODE on
  // the target, the source and every other master. With a pause, each slot
  // stays half-moved (MIGRATING/IMPORTING, its keys already on the target)
  // for `pause_between_slots` before it is assigned, so that a concurrent
  // writer overlaps the moves and meets ASK (and MOVED after). Returns when
  // all running nodes agree on the new slot map. Uses its own connections:
  // may run in a background thread.
  void move_slots(std::size_t from_master, std::size_t to_master, int slot_count,
                  std::chrono::milliseconds pause_between_slots = {});

 private:
  class Admin;

  std::unique_ptr<RedisServer> start_node(std::size_t index) const;
  void create_cluster();
  std::string describe_node(std::size_t index) const;
  std::string log_tails() const;
  std::string role(Admin& admin, std::size_t index) const;
  // Empty when healthy, else the first problem seen. With `expect_replicas`,
  // every master must also have replicas_per_master replicas.
  std::string health_problem(Admin& admin, bool expect_replicas) const;
  void wait_healthy(Admin& admin, std::chrono::steady_clock::time_point deadline,
                    bool expect_replicas, const std::string& what) const;
  std::optional<std::size_t> index_of_id(std::string_view id) const;

  RedisClusterOptions options_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<std::string> ids_;
  std::unique_ptr<Admin> admin_;  // the test thread's connections
  std::chrono::milliseconds startup_time_{0};
};

}  // namespace riot::test
