#include "riot/redis/cluster/topology.hpp"

#include <algorithm>
#include <stdexcept>

#include "riot/redis/errors.hpp"

namespace riot::redis::cluster {
namespace {

struct ReadFromName {
  ReadFrom read_from;
  std::string_view name;
};
constexpr std::array kReadFromNames{ReadFromName{ReadFrom::master, "master"},
                                    ReadFromName{ReadFrom::replica, "replica"},
                                    ReadFromName{ReadFrom::replica_preferred, "replica-preferred"},
                                    ReadFromName{ReadFrom::any, "any"}};

// The id of a node of a CLUSTER SLOTS range, into `ids` once.
void collect_node_id(const Reply& node, std::vector<std::string>& ids) {
  if (node.elements.size() < 3 || !node.elements[2].is_string() || node.elements[2].str.empty())
    return;
  if (std::find(ids.begin(), ids.end(), node.elements[2].str) == ids.end())
    ids.push_back(node.elements[2].str);
}

// One node of a CLUSTER SLOTS range: [host, port, id, ...].
NodeAddress read_node(const Reply& node, std::string_view seed_host, const std::string& endpoint) {
  if (!node.is_array() || node.elements.size() < 2 || !node.elements[1].is_integer() ||
      node.elements[1].integer <= 0 || node.elements[1].integer > 65535)
    throw ProtocolError(endpoint, "CLUSTER SLOTS returned a node that is not [host, port, ...]");
  NodeAddress address;
  address.host = node.elements[0].str;
  if (address.host.empty() || address.host == "?") address.host = std::string(seed_host);
  address.port = static_cast<std::uint16_t>(node.elements[1].integer);
  return address;
}

std::uint16_t read_slot(const Reply& slot, const std::string& endpoint) {
  if (!slot.is_integer() || slot.integer < 0 || slot.integer >= static_cast<int>(kSlotCount))
    throw ProtocolError(endpoint, "CLUSTER SLOTS returned a slot out of range");
  return static_cast<std::uint16_t>(slot.integer);
}

}  // namespace

std::string NodeAddress::endpoint() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Shard::describe_slots() const {
  std::string text;
  for (const SlotRange& range : slots) {
    if (!text.empty()) text += ',';
    text += std::to_string(range.first) + "-" + std::to_string(range.last);
  }
  return text;
}

std::string_view to_string(ReadFrom read_from) {
  for (const auto& [value, name] : kReadFromNames)
    if (value == read_from) return name;
  return "master";
}

std::optional<ReadFrom> parse_read_from(std::string_view text) {
  if (text == "replica_preferred") return ReadFrom::replica_preferred;
  for (const auto& [value, name] : kReadFromNames)
    if (name == text) return value;
  return std::nullopt;
}

Topology Topology::from_cluster_slots(const Reply& reply, std::string_view seed_host,
                                      const std::string& endpoint) {
  if (!reply.is_array()) throw ProtocolError(endpoint, "CLUSTER SLOTS did not return an array");
  Topology topology;
  topology.shard_by_slot_.fill(kUnassigned);
  for (const Reply& range : reply.elements) {
    // [first, last, master, replica...]
    if (!range.is_array() || range.elements.size() < 3)
      throw ProtocolError(endpoint,
                          "CLUSTER SLOTS returned a range that is not [first, last, "
                          "master, replicas...]");
    const SlotRange slots{read_slot(range.elements[0], endpoint),
                          read_slot(range.elements[1], endpoint)};
    if (slots.last < slots.first)
      throw ProtocolError(endpoint, "CLUSTER SLOTS returned a range that ends before it starts");
    NodeAddress master = read_node(range.elements[2], seed_host, endpoint);
    for (std::size_t i = 2; i < range.elements.size(); ++i)
      collect_node_id(range.elements[i], topology.node_ids_);

    // A master serving several ranges appears once per range: one shard.
    auto shard = std::find_if(topology.shards_.begin(), topology.shards_.end(),
                              [&](const Shard& known) { return known.master == master; });
    if (shard == topology.shards_.end()) {
      shard = topology.shards_.insert(topology.shards_.end(), Shard{std::move(master), {}, {}});
      for (std::size_t i = 3; i < range.elements.size(); ++i)
        shard->replicas.push_back(read_node(range.elements[i], seed_host, endpoint));
    }
    shard->slots.push_back(slots);
    const auto index = static_cast<std::uint16_t>(shard - topology.shards_.begin());
    for (std::size_t slot = slots.first; slot <= slots.last; ++slot)
      topology.shard_by_slot_[slot] = index;
  }
  for (Shard& shard : topology.shards_) {
    std::sort(shard.slots.begin(), shard.slots.end(),
              [](const SlotRange& a, const SlotRange& b) { return a.first < b.first; });
  }
  return topology;
}

std::optional<std::size_t> Topology::shard_of(std::uint16_t slot) const noexcept {
  const std::uint16_t index = shard_by_slot_[slot];
  if (index == kUnassigned) return std::nullopt;
  return index;
}

std::size_t Topology::unassigned_slots() const noexcept {
  return static_cast<std::size_t>(
      std::count(shard_by_slot_.begin(), shard_by_slot_.end(), kUnassigned));
}

const NodeAddress& choose_node(const Shard& shard, ReadFrom read_from, std::size_t spread) {
  switch (read_from) {
    case ReadFrom::master:
      return shard.master;
    case ReadFrom::replica:
      if (shard.replicas.empty())
        throw std::runtime_error("read-from replica, but the shard of " + shard.master.endpoint() +
                                 " (slots " + shard.describe_slots() +
                                 ") has no replica; use replica-preferred or any");
      return shard.replicas[spread % shard.replicas.size()];
    case ReadFrom::replica_preferred:
      if (shard.replicas.empty()) return shard.master;
      return shard.replicas[spread % shard.replicas.size()];
    case ReadFrom::any: {
      const std::size_t choice = spread % (shard.replicas.size() + 1);
      return choice == 0 ? shard.master : shard.replicas[choice - 1];
    }
  }
  return shard.master;
}

Topology fetch_topology(Connection& connection, std::string_view why_cluster) {
  const Reply reply = connection.command({"CLUSTER", "SLOTS"});
  if (reply.is_error()) {
    std::string message = "CLUSTER SLOTS failed: " + reply.str;
    if (reply.str.starts_with("NOPERM") || reply.str.starts_with("ERR unknown"))
      message +=
          " (riot needs CLUSTER SLOTS to find the shards of a cluster: grant the user "
          "+cluster|slots)";
    if (!why_cluster.empty())
      message += "; the server is a cluster member (" + std::string(why_cluster) + ")";
    throw ReplyError(connection.describe(), message);
  }
  return Topology::from_cluster_slots(reply, connection.options().uri.host, connection.describe());
}

ConnectionOptions node_options(const ConnectionOptions& base, const NodeAddress& node,
                               bool read_only) {
  ConnectionOptions options = base;
  options.uri.host = node.host;
  options.uri.port = node.port;
  options.read_only = read_only;
  return options;
}

}  // namespace riot::redis::cluster
