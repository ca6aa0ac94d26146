#pragma once
// A master, its replicas and real Redis Sentinels watching them, each a
// redis-server process on a free loopback port, stopped by pid when the
// group goes. The sentinels are configured at test time with a quorum of 1
// and short timeouts, so that a failover (asked for, or after the master is
// killed) completes in a few seconds.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "support/redis_server.hpp"

namespace riot::test {

struct SentinelGroupOptions {
  std::size_t replicas = 1;
  std::size_t sentinels = 1;
  std::string master_name = "riotmaster";
  std::string password;  // requirepass (and masterauth) of the data servers
  // requirepass of the sentinels themselves (and the group's own clients'
  // password for them).
  std::string sentinel_password;
  // Extra configuration lines of every data server ("notify-keyspace-events
  // KEA" for a live run: a promoted replica must notify too).
  std::vector<std::string> config;
};

class SentinelGroup {
 public:
  // Started, replicas in sync, and every sentinel aware of every replica.
  explicit SentinelGroup(SentinelGroupOptions options = {});
  ~SentinelGroup();
  SentinelGroup(const SentinelGroup&) = delete;
  SentinelGroup& operator=(const SentinelGroup&) = delete;

  const std::string& master_name() const { return options_.master_name; }

  // redis-sentinel://[:password@]127.0.0.1:P1,127.0.0.1:P2[/db]?master=NAME
  std::string uri(int db = 0) const;
  // The sentinels' ports, in the URI's order.
  std::vector<std::uint16_t> sentinel_ports() const;

  // The data server that says it is the master now (ROLE), and the others.
  RedisServer& master();
  std::vector<RedisServer*> replicas();

  // SENTINEL FAILOVER on the first sentinel; returns once another server is
  // master for every sentinel and says so itself, and every other server
  // replicates from it in sync. Throws std::runtime_error after 60 s.
  void failover();
  // Kills the master (SIGKILL... by pid, through RedisServer::stop) and waits
  // as failover() does for a replica to take over. The old master stays
  // stopped.
  void kill_master();

 private:
  // Waits until every sentinel names `master` and knows `replicas` usable
  // replicas of it, and the master has them online.
  void wait_until_settled(const RedisServer& master, std::size_t replicas);
  redis::Connection connect_sentinel(std::size_t index) const;
  std::string master_port_by_sentinel(std::size_t index) const;

  SentinelGroupOptions options_;
  std::vector<std::unique_ptr<RedisServer>> servers_;  // data servers; [0] starts as master
  std::vector<std::unique_ptr<RedisServer>> sentinels_;
};

}  // namespace riot::test
