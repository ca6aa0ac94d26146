#pragma once
// A client for keyed batches that hides whether the server is one Redis or a
// Redis Cluster. On a cluster each command goes to the node serving its
// key's slot (one pipeline per node), MOVED is followed after refreshing the
// topology, ASK is followed for the one command it concerns, and a node that
// fails makes the next batch start from a fresh topology.
//
// Components that read or write keys hold one Client per worker, exactly as
// they would hold a Connection.

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace spdlog {
class logger;
}

namespace riot::redis {

enum class ClusterMode {
  detect,      // ask the server (INFO cluster)
  standalone,  // one server, whatever it says
  cluster,     // a cluster: refuse a server that says it is not one
};

struct ClientOptions {
  ConnectionOptions connection;  // the server, or a seed node of the cluster
  ClusterMode cluster = ClusterMode::detect;
  cluster::ReadFrom read_from = cluster::ReadFrom::master;
  // Picks among several replicas: give each worker its own number.
  std::size_t spread = 0;

  // The connection settings plus "cluster" (true, false; absent: detect) and
  // "read_from" (master, replica, replica-preferred, any). Throws
  // std::invalid_argument naming the key at fault.
  static ClientOptions from_config(const nlohmann::json& config, std::string_view role);
  // The schema of "read_from", for components that read (the connection
  // properties already hold "cluster").
  static nlohmann::json read_from_schema_property();
};

class Connection;

// Whether the server on `seed` is to be treated as a cluster, as `mode` asks,
// and how that was found ("detected from INFO cluster"). Throws ReplyError
// when a cluster is asked for and the server says it is not one.
struct ClusterModeDecision {
  bool cluster = false;
  std::string how_found;
};
ClusterModeDecision decide_cluster_mode(Connection& seed, ClusterMode mode);

class Client {
 public:
  // Connects (to the seed, then to the nodes, on a cluster) and finds out the
  // mode as `options.cluster` asks. Throws the connection's errors (a
  // cluster refuses SELECT of a database other than 0 in the handshake), or
  // ReplyError when a cluster was asked for and the server is not one, or
  // std::runtime_error when read-from replica meets a shard without one.
  static std::unique_ptr<Client> open(ClientOptions options);

  virtual ~Client() = default;

  // Sends every command and appends one reply per command to `replies`, in
  // the commands' order. Error replies are returned, not thrown: on a cluster
  // a MOVED or ASK reply is only returned when redirections did not settle
  // after a few rounds. Throws IoError (and its kinds) when a server cannot
  // be reached; `replies` is then left as it was, and the next call starts
  // from a refreshed topology.
  virtual void pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) = 0;

  virtual bool is_cluster() const noexcept = 0;

  // "target 127.0.0.1:6380", or "target cluster 127.0.0.1:7000": the prefix
  // of messages about the whole client.
  virtual std::string describe() const = 0;

  // One line for the log: what the client found ("a Redis Cluster of 3
  // masters (detected from INFO cluster), reading from replicas").
  virtual std::string describe_mode() const = 0;
};

// Logs what `client` found ("codec.dump: source 127.0.0.1:7000 is a Redis
// Cluster of 3 masters ..."): at info level when `prominent` (the first
// worker of a component), at debug level otherwise, so a run with many
// workers says it once.
void log_client_mode(spdlog::logger& logger, std::string_view component, const Client& client,
                     bool prominent);

}  // namespace riot::redis
