#include "support/cluster_keyspace.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <utility>

#include "riot/redis/errors.hpp"
#include "support/redis_cluster.hpp"

namespace riot::test {
namespace {

using Clock = std::chrono::steady_clock;
using redis::CommandBuffer;
using redis::Connection;
using redis::ConnectionOptions;
using redis::Reply;

constexpr auto kRedirectionTimeout = std::chrono::seconds(20);
constexpr auto kProbeConnectTimeout = std::chrono::milliseconds(2000);
constexpr auto kProbeCommandTimeout = std::chrono::milliseconds(5000);
constexpr int kScanAttempts = 4;

std::uint16_t crc16_xmodem(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (const char byte : bytes) {
    crc ^= static_cast<std::uint16_t>(static_cast<std::uint8_t>(byte) << 8);
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x8000) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                : static_cast<std::uint16_t>(crc << 1);
  }
  return crc;
}

std::string endpoint_of(std::string_view host, std::int64_t port) {
  return std::string(host) + ":" + std::to_string(port);
}

// "host:port" split at the last colon (an IPv6 host holds colons).
std::pair<std::string, std::uint16_t> split_endpoint(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon + 1 == endpoint.size())
    throw std::runtime_error("ClusterKeyspace: bad endpoint '" + endpoint + "'");
  return {endpoint.substr(0, colon),
          static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1)))};
}

// A redirection reply: "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381".
// An endpoint without a host (":6381") means the host of the node that answered.
struct Redirection {
  bool moved = false;
  std::uint16_t slot = 0;
  std::string endpoint;
};

bool parse_redirection(const Reply& reply, const std::string& answering_host, Redirection& out) {
  const std::string_view text = reply.str;
  const bool moved = text.starts_with("MOVED ");
  if (!moved && !text.starts_with("ASK ")) return false;
  const auto first = text.find(' ');
  const auto second = text.find(' ', first + 1);
  if (second == std::string_view::npos)
    throw std::runtime_error("ClusterKeyspace: malformed redirection: " + reply.str);
  out.moved = moved;
  out.slot = static_cast<std::uint16_t>(std::stoi(std::string(text.substr(first + 1))));
  out.endpoint = std::string(text.substr(second + 1));
  if (out.endpoint.starts_with(':')) out.endpoint = answering_host + out.endpoint;
  return true;
}

bool is_transient(const Reply& reply) {
  return reply.str.starts_with("TRYAGAIN") || reply.str.starts_with("CLUSTERDOWN");
}

}  // namespace

std::uint16_t test_key_slot(std::string_view key) {
  const auto open = key.find('{');
  if (open != std::string_view::npos) {
    const auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1)
      key = key.substr(open + 1, close - open - 1);
  }
  return static_cast<std::uint16_t>(crc16_xmodem(key) % kClusterSlots);
}

ClusterKeyspace::ClusterKeyspace(RedisCluster& cluster) {
  for (std::size_t i = 0; i < cluster.node_count(); ++i)
    seeds_.push_back(cluster.client_options(i));
  if (seeds_.empty()) throw std::invalid_argument("ClusterKeyspace: the cluster has no node");
  template_ = seeds_.front();
}

ClusterKeyspace::ClusterKeyspace(ConnectionOptions seed) : template_(seed) {
  seeds_.push_back(std::move(seed));
}

ClusterKeyspace::~ClusterKeyspace() = default;

ConnectionOptions ClusterKeyspace::options_for(const std::string& endpoint) const {
  ConnectionOptions options = template_;
  auto [host, port] = split_endpoint(endpoint);
  options.uri.host = std::move(host);
  options.uri.port = port;
  options.uri.db = 0;
  return options;
}

Connection& ClusterKeyspace::connection_to(const std::string& endpoint) {
  auto& connection = connections_[endpoint];
  if (!connection) connection = std::make_unique<Connection>(options_for(endpoint));
  return *connection;
}

void ClusterKeyspace::refresh() {
  // Connections are closed, never destroyed: references handed out stay valid.
  for (auto& [endpoint, connection] : connections_) connection->close();
  std::vector<ConnectionOptions> candidates;
  for (const auto& master : masters_) candidates.push_back(options_for(master));
  candidates.insert(candidates.end(), seeds_.begin(), seeds_.end());
  std::string problems;
  for (auto probe : candidates) {
    const std::string where = probe.uri.endpoint();
    probe.client_name.clear();
    probe.connect_timeout =
        std::min(probe.connect_timeout, std::chrono::milliseconds(kProbeConnectTimeout));
    probe.command_timeout = kProbeCommandTimeout;
    try {
      Connection connection(probe);
      connection.connect();
      const Reply slots = connection.command({"CLUSTER", "SLOTS"});
      if (slots.is_error()) {
        problems += "\n  " + where + ": " + slots.str;
        continue;
      }
      std::vector<std::string> slot_master(kClusterSlots);
      std::vector<std::string> masters;
      for (const auto& range : slots.elements) {
        const Reply& node = range.elements.at(2);
        std::string host = node.elements.at(0).str;
        if (host.empty() || host == "?") host = probe.uri.host;
        const std::string endpoint = endpoint_of(host, node.elements.at(1).integer);
        for (auto slot = range.elements.at(0).integer; slot <= range.elements.at(1).integer; ++slot)
          slot_master.at(static_cast<std::size_t>(slot)) = endpoint;
        if (std::find(masters.begin(), masters.end(), endpoint) == masters.end())
          masters.push_back(endpoint);
      }
      if (masters.empty()) {
        problems += "\n  " + where + ": no slot is assigned";
        continue;
      }
      slot_master_ = std::move(slot_master);
      masters_ = std::move(masters);
      return;
    } catch (const std::exception& error) {
      problems += "\n  " + where + ": " + error.what();
    }
  }
  throw std::runtime_error("ClusterKeyspace: no node answered CLUSTER SLOTS:" + problems);
}

void ClusterKeyspace::ensure_map() {
  if (slot_master_.empty()) refresh();
}

std::vector<std::string> ClusterKeyspace::masters() {
  ensure_map();
  return masters_;
}

std::string ClusterKeyspace::master_of_slot(std::uint16_t slot) {
  ensure_map();
  return slot_master_.at(slot);
}

Connection& ClusterKeyspace::connection_for_key(std::string_view key) {
  const std::string endpoint = master_of_slot(test_key_slot(key));
  if (endpoint.empty())
    throw std::runtime_error("ClusterKeyspace: slot " + std::to_string(test_key_slot(key)) +
                             " has no master");
  return connection_to(endpoint);
}

std::vector<Reply> ClusterKeyspace::pipeline(const KeyedCommands& commands) {
  struct Pending {
    std::size_t index;
    std::string ask;  // the node an ASK sent the command to, if any
  };
  std::vector<Reply> replies(commands.size());
  std::vector<Pending> pending;
  pending.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) pending.push_back({i, {}});

  const auto deadline = Clock::now() + kRedirectionTimeout;
  std::string last_problem;
  std::vector<std::string_view> args;
  CommandBuffer buffer;
  std::vector<Reply> received;
  for (int round = 0; !pending.empty(); ++round) {
    ensure_map();
    // Per node, in the batch's order: the order of commands on one key holds.
    std::vector<std::pair<std::string, std::vector<const Pending*>>> groups;
    for (const auto& item : pending) {
      std::string endpoint = item.ask;
      if (endpoint.empty()) {
        const std::uint16_t slot = test_key_slot(commands.key(item.index));
        endpoint = slot_master_.at(slot);
        if (endpoint.empty())
          throw std::runtime_error("ClusterKeyspace: slot " + std::to_string(slot) +
                                   " has no master");
      }
      auto group = std::find_if(groups.begin(), groups.end(),
                                [&](const auto& entry) { return entry.first == endpoint; });
      if (group == groups.end()) group = groups.insert(groups.end(), {endpoint, {}});
      group->second.push_back(&item);
    }

    std::vector<Pending> next;
    std::vector<Redirection> moved;
    bool refresh_needed = false;
    bool back_off = false;
    for (const auto& [endpoint, group] : groups) {
      Connection& connection = connection_to(endpoint);
      // A connection left idle may have lost its server (killed, restarted):
      // a PING finds out before anything that matters is sent.
      bool reachable = true;
      if (connection.is_connected()) {
        try {
          connection.command({"PING"});
        } catch (const redis::IoError&) {
          // closed by the failure: connect again below
        }
      }
      if (!connection.is_connected()) {
        try {
          connection.connect();
        } catch (const redis::IoError& error) {
          last_problem = error.what();
          reachable = false;
        }
      }
      if (!reachable) {
        // Nothing was sent: safe to route again once the map is read again.
        refresh_needed = true;
        back_off = true;
        for (const Pending* item : group) next.push_back(*item);
        continue;
      }
      buffer.clear();
      std::vector<std::size_t> positions;  // the reply of each command of the group
      for (const Pending* item : group) {
        if (!item->ask.empty()) buffer.append({"ASKING"});
        commands.args(item->index, args);
        buffer.append(args);
        positions.push_back(buffer.size() - 1);
      }
      received.clear();
      try {
        connection.pipeline(buffer, received);
      } catch (const redis::IoError&) {
        slot_master_.clear();  // read the map again next time
        throw;
      }
      const std::string host = split_endpoint(endpoint).first;
      for (std::size_t k = 0; k < group.size(); ++k) {
        Reply& reply = received.at(positions[k]);
        const Pending& item = *group[k];
        if (reply.is_error()) {
          Redirection redirection;
          if (parse_redirection(reply, host, redirection)) {
            last_problem = reply.str;
            if (redirection.moved) {
              ++moved_;
              moved.push_back(redirection);
              refresh_needed = true;
              next.push_back({item.index, {}});
            } else {
              ++asked_;
              next.push_back({item.index, redirection.endpoint});
            }
            continue;
          }
          if (is_transient(reply)) {
            last_problem = reply.str;
            back_off = true;
            next.push_back({item.index, {}});
            continue;
          }
        }
        replies[item.index] = std::move(reply);
      }
    }
    if (next.empty()) break;
    if (Clock::now() > deadline)
      throw std::runtime_error("ClusterKeyspace: " + std::to_string(next.size()) +
                               " command(s) still redirected or refused after " +
                               std::to_string(kRedirectionTimeout.count()) +
                               " s; last: " + last_problem);
    if (back_off || round >= 3)
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10 * (round + 1), 200)));
    if (refresh_needed) {
      refresh();
      // A MOVED reply is the word of the slot's new owner: it wins over a map
      // read from a node that may not know yet.
      for (const auto& redirection : moved)
        slot_master_.at(redirection.slot) = redirection.endpoint;
    }
    pending = std::move(next);
  }
  return replies;
}

Reply ClusterKeyspace::command_on_key(std::string_view key,
                                      std::span<const std::string_view> args) {
  KeyedCommands commands;
  commands.add(key, args);
  return std::move(pipeline(commands).at(0));
}

std::vector<std::string> ClusterKeyspace::scan_all_keys() {
  std::string last_error;
  for (int attempt = 1; attempt <= kScanAttempts; ++attempt) {
    refresh();
    std::vector<std::string> keys;
    try {
      for (const auto& master : masters_) {
        Connection& connection = connection_to(master);
        std::string cursor = "0";
        do {
          Reply reply = connection.checked({"SCAN", cursor, "COUNT", "1000"});
          cursor = reply.elements.at(0).str;
          for (auto& key : reply.elements.at(1).elements) keys.push_back(std::move(key.str));
        } while (cursor != "0");
      }
    } catch (const redis::IoError& error) {
      // A master went away (failover): read the map again and start over.
      last_error = error.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
      continue;
    }
    // A key being migrated may be seen on both nodes; SCAN may repeat keys.
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
  }
  throw std::runtime_error("ClusterKeyspace: SCAN failed " + std::to_string(kScanAttempts) +
                           " times; last: " + last_error);
}

std::size_t ClusterKeyspace::key_count() {
  refresh();
  std::size_t count = 0;
  for (const auto& master : masters_)
    count += static_cast<std::size_t>(connection_to(master).checked({"DBSIZE"}).integer);
  return count;
}

void ClusterKeyspace::flushall() {
  refresh();
  for (const auto& master : masters_) connection_to(master).checked({"FLUSHALL"});
}

std::string ClusterKeyspace::describe() const {
  return "cluster via " + seeds_.front().uri.endpoint();
}

}  // namespace riot::test
