#include "redis/sentinel_resolver.hpp"

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"
#include "riot/redis/errors.hpp"
#include "riot/retry.hpp"

namespace riot::redis::detail {
namespace {

using cluster::ReadFrom;

// A connection to one sentinel: the sentinels' own credentials, database 0,
// and the data connection's transport settings (TLS included).
ConnectionOptions sentinel_options(const ConnectionOptions& options, const HostPort& sentinel) {
  ConnectionOptions out;
  out.uri.scheme = options.uri.scheme;
  out.uri.host = sentinel.host;
  out.uri.port = sentinel.port;
  out.uri.user = options.sentinel.user;
  out.uri.password = options.sentinel.password;
  out.role = options.role.empty() ? std::string("sentinel") : options.role + " sentinel";
  out.client_name = options.client_name;
  // A sentinel answers at once or not at all: waiting the command timeout
  // for one that hangs would delay asking the next.
  out.connect_timeout = options.connect_timeout;
  out.command_timeout = options.connect_timeout;
  out.pipeline_window = 2;
  out.tls = options.tls;
  return out;
}

std::optional<std::uint16_t> port_of(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// One replica of SENTINEL REPLICAS: a flat list of field names and values.
struct ReplicaState {
  HostPort address;
  bool usable = false;
};

ReplicaState read_replica(const Reply& entry) {
  ReplicaState replica;
  if (!entry.is_array()) return replica;
  std::string_view flags = "?";
  std::string_view link = "ok";
  std::optional<std::uint16_t> port;
  for (std::size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
    const std::string_view name = entry.elements[i].str;
    const std::string& value = entry.elements[i + 1].str;
    if (name == "ip") replica.address.host = value;
    if (name == "port") port = port_of(value);
    if (name == "flags") flags = value;
    if (name == "master-link-status") link = value;
  }
  // A replica that is down, or cut from its master, serves nothing or stale
  // data.
  const bool down = flags.find("s_down") != std::string_view::npos ||
                    flags.find("o_down") != std::string_view::npos ||
                    flags.find("disconnected") != std::string_view::npos;
  replica.usable = port && !replica.address.host.empty() && !down && link == "ok";
  if (port) replica.address.port = *port;
  return replica;
}

// What one sentinel says; nullopt with `problem` set when it says nothing
// useful (unreachable, refusing, not knowing the master).
struct SentinelAnswer {
  std::optional<HostPort> master;
  std::vector<HostPort> replicas;  // usable ones, asked only when reads may go to one
  bool knows_master = false;
};

SentinelAnswer ask_one(Connection& sentinel, const std::string& master_name, bool want_replicas) {
  SentinelAnswer answer;
  Reply reply = sentinel.command({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", master_name});
  if (reply.is_error()) throw ReplyError(sentinel.describe(), reply.str);
  if (reply.is_nil()) return answer;
  answer.knows_master = true;
  if (!reply.is_array() || reply.elements.size() != 2)
    throw ProtocolError(sentinel.describe(), "SENTINEL GET-MASTER-ADDR-BY-NAME gave no address");
  const auto port = port_of(reply.elements[1].str);
  if (!port)
    throw ProtocolError(sentinel.describe(), "SENTINEL GET-MASTER-ADDR-BY-NAME gave the port '" +
                                                 reply.elements[1].str + "'");
  answer.master = HostPort{reply.elements[0].str, *port};
  if (!want_replicas) return answer;
  Reply replicas = sentinel.command({"SENTINEL", "REPLICAS", master_name});
  if (replicas.is_error()) throw ReplyError(sentinel.describe(), replicas.str);
  for (const Reply& entry : replicas.elements) {
    ReplicaState replica = read_replica(entry);
    if (replica.usable) answer.replicas.push_back(std::move(replica.address));
  }
  return answer;
}

// Among the master and its usable replicas, the node `read_from` picks;
// nullopt when it wants a replica and there is none.
std::optional<SentinelChoice> choose(const SentinelAnswer& answer, ReadFrom read_from,
                                     std::size_t spread) {
  const std::vector<HostPort>& replicas = answer.replicas;
  switch (read_from) {
    case ReadFrom::master:
      return SentinelChoice{*answer.master, true, {}};
    case ReadFrom::replica:
      if (replicas.empty()) return std::nullopt;
      return SentinelChoice{replicas[spread % replicas.size()], false, {}};
    case ReadFrom::replica_preferred:
      if (replicas.empty()) return SentinelChoice{*answer.master, true, {}};
      return SentinelChoice{replicas[spread % replicas.size()], false, {}};
    case ReadFrom::any: {
      const std::size_t pick = spread % (replicas.size() + 1);
      if (pick == replicas.size()) return SentinelChoice{*answer.master, true, {}};
      return SentinelChoice{replicas[pick], false, {}};
    }
  }
  return SentinelChoice{*answer.master, true, {}};
}

}  // namespace

SentinelChoice ask_sentinels(const ConnectionOptions& options) {
  const Uri& uri = options.uri;
  const std::string& name = uri.sentinel_master;
  const bool want_replicas = options.sentinel.read_from != ReadFrom::master;
  std::string problems;  // "host:port: why; host:port: why"
  bool known_somewhere = false;
  bool no_replica = false;
  for (const HostPort& address : uri.sentinels) {
    Connection sentinel(sentinel_options(options, address));
    std::string problem;
    try {
      sentinel.connect();
      const SentinelAnswer answer = ask_one(sentinel, name, want_replicas);
      if (answer.knows_master) {
        known_somewhere = true;
        if (std::optional<SentinelChoice> choice =
                choose(answer, options.sentinel.read_from, options.sentinel.spread)) {
          choice->sentinel = address.endpoint();
          return *choice;
        }
        no_replica = true;
        problem = "no replica of '" + name + "' is up";
      } else {
        problem = "does not know a master named '" + name + "'";
      }
    } catch (const Error& error) {
      problem = cause_of(error);
    }
    if (!problems.empty()) problems += "; ";
    problems += address.endpoint() + ": " + problem;
  }
  const std::string subject =
      (options.role.empty() ? std::string() : options.role + " ") + uri.to_string();
  if (!known_somewhere && problems.find("does not know") != std::string::npos)
    throw ReplyError(subject, "no sentinel knows a master named '" + name + "' (" + problems +
                                  "); check the name (SENTINEL MASTERS lists them)");
  if (no_replica)
    throw IoError(subject, "the sentinels name no replica of '" + name +
                               "' that is up, and reads must go to a replica (" + problems + ")");
  throw IoError(subject, "no sentinel answered (" + problems + ")");
}

std::string role_of(const Reply& role) {
  if (!role.is_array() || role.elements.empty()) return {};
  return role.elements.front().str;
}

ConnectionOptions node_options(const ConnectionOptions& options, const HostPort& node) {
  ConnectionOptions out = options;
  out.uri.sentinels.clear();
  out.uri.sentinel_master.clear();
  out.uri.host = node.host;
  out.uri.port = node.port;
  return out;
}

}  // namespace riot::redis::detail
