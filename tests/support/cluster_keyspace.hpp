#pragma once
// The tests' own Redis Cluster client, independent of riot's: its own CRC16
// slot function, a slot map read from CLUSTER SLOTS, one connection per
// master, MOVED followed by refreshing the map, ASK by ASKING the importing
// node. Enough to write datasets into a cluster and to compare a cluster
// with another database (see dataset.hpp), nothing more.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"
#include "support/dataset.hpp"

namespace riot::test {

class RedisCluster;

inline constexpr int kClusterSlots = 16384;

// The hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial 0) of
// the key, or of its hash tag — the bytes between the first '{' and the
// first '}' after it, when there is at least one — modulo 16384.
std::uint16_t test_key_slot(std::string_view key);

class ClusterKeyspace final : public Keyspace {
 public:
  // Seeds from every node of the cluster (any reachable one will do), with
  // the nodes' client options (TLS included).
  explicit ClusterKeyspace(RedisCluster& cluster);
  // Seeds from one node; the other nodes are reached with the same options
  // (TLS, password, timeouts) at the addresses CLUSTER SLOTS gives.
  explicit ClusterKeyspace(redis::ConnectionOptions seed);
  ~ClusterKeyspace() override;
  ClusterKeyspace(const ClusterKeyspace&) = delete;
  ClusterKeyspace& operator=(const ClusterKeyspace&) = delete;

  using Keyspace::checked;
  using Keyspace::command;

  std::vector<std::string> scan_all_keys() override;
  redis::Connection& connection_for_key(std::string_view key) override;
  redis::Reply command_on_key(std::string_view key,
                              std::span<const std::string_view> args) override;
  // Commands pipelined per master (masters one after the other). Replies
  // MOVED, ASK, TRYAGAIN and CLUSTERDOWN are followed or retried (for up to
  // 20 s) and never returned. A master that cannot be reached before anything
  // was sent to it makes the map refresh; a connection lost while commands
  // were in flight throws (they may have run).
  std::vector<redis::Reply> pipeline(const KeyedCommands& commands) override;
  std::size_t key_count() override;
  // Reads the slot map again (from the first node that answers) and closes
  // every connection, to be reopened on demand.
  void refresh() override;
  std::string describe() const override;

  // FLUSHALL on every master.
  void flushall();
  // "host:port" of every master of the slot map, and of the master of a slot.
  std::vector<std::string> masters();
  std::string master_of_slot(std::uint16_t slot);
  // A connection to a master (one of masters()).
  redis::Connection& connection_to(const std::string& endpoint);
  // How many MOVED and ASK replies were followed so far.
  std::size_t moved_count() const noexcept { return moved_; }
  std::size_t ask_count() const noexcept { return asked_; }

 private:
  void ensure_map();
  redis::ConnectionOptions options_for(const std::string& endpoint) const;

  std::vector<redis::ConnectionOptions> seeds_;
  redis::ConnectionOptions template_;     // options of every connection but the address
  std::vector<std::string> slot_master_;  // per slot, "host:port"; empty before the map is read
  std::vector<std::string> masters_;
  std::map<std::string, std::unique_ptr<redis::Connection>> connections_;
  std::size_t moved_ = 0;
  std::size_t asked_ = 0;
};

}  // namespace riot::test
