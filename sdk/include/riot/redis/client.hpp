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
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "riot/endpoint_identity.hpp"
#include "riot/redis/cluster/membership.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"

namespace spdlog {
class logger;
}

namespace riot::redis {

enum class ClusterMode {
  detect,      // ask the server (see cluster::find_membership)
  standalone,  // one server: refuse a server that says it is a cluster member
  cluster,     // a cluster: refuse a server that says it is not one
};

struct ClientOptions {
  ConnectionOptions connection;  // the server, or a seed node of the cluster
  ClusterMode cluster = ClusterMode::detect;
  cluster::ReadFrom read_from = cluster::ReadFrom::master;
  // Picks among several replicas: give each worker its own number.
  std::size_t spread = 0;
  // Sent for a key of every slot when the server refuses INFO and CLUSTER:
  // a command the component's user may run anyway (a writer that may only
  // RESTORE probes with cluster::KeyProbe::restore()).
  cluster::KeyProbe probe;

  // The connection settings plus "cluster" (true, false; absent: detect) and
  // "read_from" (master, replica, replica-preferred, any). Throws
  // std::invalid_argument naming the key at fault.
  static ClientOptions from_config(const nlohmann::json& config, std::string_view role);
  // The schema of "read_from", for components that read (the connection
  // properties already hold "cluster").
  static nlohmann::json read_from_schema_property();
};

class Connection;

// A server taken for a single one turned out to be a member of a Redis
// Cluster: it redirected a key (MOVED, ASK), or says so while "cluster":
// false was configured. Going on would copy the keys of one node only. Not a
// redis::Error on purpose: it is about the whole run, not the keys of one
// batch, so the per-key error handling of components lets it through and the
// run stops.
class ClusterMemberError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether the server on `seed` is to be treated as a cluster, as `mode` asks,
// and how that was found ("detected from CLUSTER INFO (INFO refused)",
// "cluster mode on, as configured"). Detection asks what the user may run
// (cluster::find_membership, with `probe` last). Throws ReplyError when a
// cluster is asked for and the server is not one, or when nothing tells
// (everything refused); ClusterMemberError when a single server is asked for
// and the server is a cluster member.
struct ClusterModeDecision {
  bool cluster = false;
  std::string how_found;
};
ClusterModeDecision decide_cluster_mode(Connection& seed, ClusterMode mode,
                                        const cluster::KeyProbe& probe);

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
  // from a refreshed topology. A single server that redirects a key throws
  // ClusterMemberError.
  virtual void pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) = 0;

  virtual bool is_cluster() const noexcept = 0;

  // "target 127.0.0.1:6380", or "target cluster 127.0.0.1:7000": the prefix
  // of messages about the whole client.
  virtual std::string describe() const = 0;

  // One line for the log: what the client found ("a Redis Cluster of 3
  // masters (detected from INFO cluster), reading from replicas").
  virtual std::string describe_mode() const = 0;

  // Who the client talks to, for HostContext::report_endpoint, as found when
  // it connected: a single server's INFO server run_id and CLUSTER MYID
  // (where allowed), a cluster's node ids from its topology.
  virtual const EndpointIdentity& identity() const noexcept = 0;
};

// "; its connections are unnamed in CLIENT LIST (CLIENT SETNAME refused:
// NOPERM ...)" for a connection's client_name_refusal(), empty for none:
// what describe_mode() adds, since the name is lost, nothing else.
std::string describe_name_refusal(const std::string& refusal);

// Logs what `client` found ("source 127.0.0.1:7000 is a Redis Cluster of 3
// masters ...", the component's logger naming the component): at info level
// when `prominent` (the first worker of a component), at debug level
// otherwise, so a run with many workers says it once.
void log_client_mode(spdlog::logger& logger, const Client& client, bool prominent);

}  // namespace riot::redis
