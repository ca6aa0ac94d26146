#include "redis/cluster/cluster_client.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <utility>

#include "riot/redis/errors.hpp"
#include "riot/redis/server_identity.hpp"
#include "riot/retry.hpp"

namespace riot::redis::cluster {
namespace {

// Rounds one batch may be sent in: the first send, then the redirections it
// meets (a key moved, then asked for during a migration, ...). A redirection
// left after the last round is returned as the command's reply; callers treat
// it as transient and send the key again after their backoff.
constexpr int kMaxRounds = 5;

struct Redirection {
  bool ask = false;  // ASK (one command) rather than MOVED (the slot's new home)
  std::uint16_t slot = 0;
  NodeAddress address;
};

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381". An empty host
// (":6381") means the host of the node that answered.
std::optional<Redirection> parse_redirection(std::string_view error,
                                             const NodeAddress& answered_by) {
  Redirection redirection;
  if (error.starts_with("MOVED ")) {
    error.remove_prefix(6);
  } else if (error.starts_with("ASK ")) {
    redirection.ask = true;
    error.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const std::size_t space = error.find(' ');
  const std::size_t colon = error.rfind(':');
  if (space == std::string_view::npos || colon == std::string_view::npos || colon < space)
    return std::nullopt;
  unsigned slot = 0;
  unsigned port = 0;
  const std::string_view slot_text = error.substr(0, space);
  const std::string_view port_text = error.substr(colon + 1);
  if (std::from_chars(slot_text.data(), slot_text.data() + slot_text.size(), slot).ec !=
          std::errc() ||
      slot >= kSlotCount ||
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port).ec !=
          std::errc() ||
      port == 0 || port > 65535)
    return std::nullopt;
  std::string_view host = error.substr(space + 1, colon - space - 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  redirection.slot = static_cast<std::uint16_t>(slot);
  redirection.address.host = host.empty() ? answered_by.host : std::string(host);
  redirection.address.port = static_cast<std::uint16_t>(port);
  return redirection;
}

// What a command gets when no node serves its slot: the reply a cluster node
// itself gives, which callers treat as transient and retry.
Reply slot_not_served(std::uint16_t slot) {
  Reply reply;
  reply.type = ReplyType::error;
  reply.str = "CLUSTERDOWN Hash slot " + std::to_string(slot) + " not served";
  return reply;
}

// The same kind of error, about the cluster, naming the node that failed:
// callers prefix their messages with the client's description, which names
// only the seed.
[[noreturn]] void rethrow_naming_the_node(const IoError& error, const std::string& cluster,
                                          const std::string& role) {
  // The node's connection names it "ROLE host:port".
  std::string_view node = error.endpoint();
  if (!role.empty() && node.starts_with(role + " ")) node.remove_prefix(role.size() + 1);
  const std::string message = "node " + std::string(node) + ": " + cause_of(error);
  if (dynamic_cast<const TlsError*>(&error)) throw TlsError(cluster, message);
  if (dynamic_cast<const TimeoutError*>(&error)) throw TimeoutError(cluster, message);
  if (dynamic_cast<const ProtocolError*>(&error)) throw ProtocolError(cluster, message);
  if (const auto* rejected = dynamic_cast<const RequestRejectedError*>(&error))
    throw RequestRejectedError(cluster, message, rejected->reply());
  throw IoError(cluster, message);
}

}  // namespace

ClusterClient::ClusterClient(ClientOptions options, Connection& seed, std::string how_found)
    : options_(std::move(options)),
      description_(options_.connection.role.empty()
                       ? "cluster " + options_.connection.uri.endpoint()
                       : options_.connection.role + " cluster " +
                             options_.connection.uri.endpoint()),
      how_found_(std::move(how_found)) {
  apply(fetch_topology(seed, how_found_), /*strict=*/true);
  identity_ = identify_cluster(topology_, options_.connection);
  name_refusal_ = seed.client_name_refusal();
  for (const auto& node : nodes_) node->connection.connect();
}

std::string ClusterClient::describe_mode() const {
  std::size_t replicas = 0;
  for (const Shard& shard : topology_.shards()) replicas += shard.replicas.size();
  std::string text = "a Redis Cluster of " + std::to_string(topology_.shards().size()) +
                     " masters and " + std::to_string(replicas) + " replicas (" + how_found_ + ")";
  if (options_.read_from != ReadFrom::master)
    text += ", reading from " + std::string(to_string(options_.read_from));
  if (const std::size_t unassigned = topology_.unassigned_slots(); unassigned > 0)
    text += "; " + std::to_string(unassigned) + " slots are not served by any node";
  return text + describe_name_refusal(name_refusal_);
}

void ClusterClient::pipeline(const KeyedCommands& commands, std::vector<Reply>& replies) {
  if (commands.empty()) return;
  if (!commands.tracks_slots())
    throw std::logic_error("a cluster client needs KeyedCommands that track slots");
  const std::size_t base = replies.size();
  try {
    if (stale_) refresh(/*strict=*/false);
    replies.resize(base + commands.size());
    targets_.clear();
    for (std::size_t i = 0; i < commands.size(); ++i) {
      const std::uint16_t node = route_[commands.slot(i)];
      if (node == kNoNode) {
        replies[base + i] = slot_not_served(commands.slot(i));
        stale_ = true;
      } else {
        targets_.push_back({i, node, false});
      }
    }
    for (int round = 1; !targets_.empty(); ++round) {
      send_round(commands, replies, base);
      if (!collect_redirections(replies, base) || round == kMaxRounds) break;
      targets_.swap(redirected_);
    }
  } catch (const IoError& error) {
    // Which node failed, and whether the cluster moved on (a failover), is
    // for the next batch's fresh topology to tell.
    stale_ = true;
    replies.resize(base);
    rethrow_naming_the_node(error, description_, options_.connection.role);
  } catch (...) {
    replies.resize(base);
    throw;
  }
}

void ClusterClient::send_round(const KeyedCommands& commands, std::vector<Reply>& replies,
                               std::size_t base) {
  // Grouped per node, each group in the batch's order: the commands on one
  // key reach their node in the order they were appended.
  std::stable_sort(targets_.begin(), targets_.end(),
                   [](const Target& a, const Target& b) { return a.node < b.node; });
  std::size_t begin = 0;
  while (begin < targets_.size()) {
    std::size_t end = begin + 1;
    while (end < targets_.size() && targets_[end].node == targets_[begin].node) ++end;
    send_to_node(commands, targets_[begin].node, begin, end, replies, base);
    begin = end;
  }
}

void ClusterClient::send_to_node(const KeyedCommands& commands, std::size_t node, std::size_t begin,
                                 std::size_t end, std::vector<Reply>& replies, std::size_t base) {
  Connection& connection = nodes_[node]->connection;
  node_replies_.clear();
  const bool whole_batch = begin == 0 && end == targets_.size() && end == commands.size() &&
                           std::none_of(targets_.begin(), targets_.end(),
                                        [](const Target& target) { return target.asking; });
  if (whole_batch) {
    // The common case (a batch from one shard): sent as encoded, no copy.
    connection.pipeline(commands.commands(), node_replies_);
    for (std::size_t i = 0; i < node_replies_.size(); ++i)
      replies[base + targets_[i].command] = std::move(node_replies_[i]);
    return;
  }
  node_commands_.clear();
  for (std::size_t i = begin; i < end; ++i) {
    if (targets_[i].asking) node_commands_.append({"ASKING"});
    node_commands_.append_command(commands.commands(), targets_[i].command);
  }
  connection.pipeline(node_commands_, node_replies_);
  std::size_t reply = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (targets_[i].asking) ++reply;  // ASKING's +OK
    replies[base + targets_[i].command] = std::move(node_replies_[reply++]);
  }
}

bool ClusterClient::collect_redirections(std::vector<Reply>& replies, std::size_t base) {
  redirected_.clear();
  for (const Target& target : targets_) {
    const Reply& reply = replies[base + target.command];
    if (!reply.is_error()) continue;
    if (reply.str.starts_with("CLUSTERDOWN")) {
      stale_ = true;
      continue;
    }
    const std::optional<Redirection> redirection =
        parse_redirection(reply.str, nodes_[target.node]->address);
    if (!redirection) continue;
    const std::size_t node = node_for(redirection->address);
    if (!redirection->ask) {
      // The slot has a new home: later batches go there at once, and the next
      // one starts from a fresh topology (a resharding moves many slots).
      route_[redirection->slot] = static_cast<std::uint16_t>(node);
      stale_ = true;
    }
    redirected_.push_back({target.command, node, redirection->ask});
  }
  return !redirected_.empty();
}

std::size_t ClusterClient::node_for(const NodeAddress& address) {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i]->address == address) return i;
  const bool read_only = options_.read_from != ReadFrom::master;
  nodes_.push_back(std::make_unique<Node>(
      Node{address, Connection(node_options(options_.connection, address, read_only))}));
  return nodes_.size() - 1;
}

void ClusterClient::refresh(bool strict) {
  apply(ask_for_topology(), strict);
}

Topology ClusterClient::ask_for_topology() {
  // Any node that answers will do: the ones in use first (a failed one fails
  // fast and the next is tried), then the seed the user gave.
  std::string last_problem = "no node known";
  bool any_io_failure = false;
  const auto ask = [&](Connection& connection) -> std::optional<Topology> {
    try {
      return fetch_topology(connection);
    } catch (const IoError& error) {
      any_io_failure = true;
      last_problem = error.what();
    } catch (const ReplyError& error) {
      last_problem = error.what();
    }
    return std::nullopt;
  };
  for (const auto& node : nodes_) {
    if (std::optional<Topology> topology = ask(node->connection)) return std::move(*topology);
  }
  Connection seed(options_.connection);
  if (std::optional<Topology> topology = ask(seed)) return std::move(*topology);
  const std::string message =
      "no node of the cluster answered CLUSTER SLOTS (last: " + last_problem + ")";
  if (any_io_failure) throw IoError(description_, message);
  throw ReplyError(description_, message);
}

void ClusterClient::apply(Topology topology, bool strict) {
  // The node serving each shard, as the read-from policy picks it.
  std::vector<NodeAddress> chosen;
  chosen.reserve(topology.shards().size());
  for (const Shard& shard : topology.shards()) {
    if (!strict && options_.read_from == ReadFrom::replica && shard.replicas.empty())
      chosen.push_back(shard.master);
    else
      chosen.push_back(choose_node(shard, options_.read_from, options_.spread));
  }

  // The connections of nodes still in use are kept; the others closed.
  std::vector<std::unique_ptr<Node>> previous;
  previous.swap(nodes_);
  std::vector<std::uint16_t> node_of_shard;
  for (const NodeAddress& address : chosen) {
    auto kept = std::find_if(previous.begin(), previous.end(),
                             [&](const auto& node) { return node && node->address == address; });
    if (kept != previous.end()) {
      nodes_.push_back(std::move(*kept));
      node_of_shard.push_back(static_cast<std::uint16_t>(nodes_.size() - 1));
    } else {
      node_of_shard.push_back(static_cast<std::uint16_t>(node_for(address)));
    }
  }
  for (std::size_t slot = 0; slot < kSlotCount; ++slot) {
    const std::optional<std::size_t> shard = topology.shard_of(static_cast<std::uint16_t>(slot));
    route_[slot] = shard ? node_of_shard[*shard] : kNoNode;
  }
  topology_ = std::move(topology);
  stale_ = false;
}

}  // namespace riot::redis::cluster
