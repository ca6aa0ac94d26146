#include "riot/redis/server_identity.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <system_error>

namespace riot::redis {
namespace {

struct AddrinfoDeleter {
  void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};

std::string numeric_address(const sockaddr* address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address->sa_family == AF_INET6) {
    const auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(address);
    ::inet_ntop(AF_INET6, &ipv6->sin6_addr, text.data(), text.size());
    return "[" + std::string(text.data()) + "]";
  }
  const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(address);
  ::inet_ntop(AF_INET, &ipv4->sin_addr, text.data(), text.size());
  return text.data();
}

// The value of `field` in an INFO reply ("run_id:abc\r\n"); empty when absent.
std::string info_field(const std::string& info, std::string_view field) {
  const std::string prefix = std::string(field) + ":";
  for (std::size_t at = info.find(prefix); at != std::string::npos;
       at = info.find(prefix, at + 1)) {
    if (at != 0 && info[at - 1] != '\n') continue;
    const std::size_t begin = at + prefix.size();
    return info.substr(begin, info.find_first_of("\r\n", begin) - begin);
  }
  return {};
}

void add_unique(std::vector<std::string>& into, const std::vector<std::string>& values) {
  for (const std::string& value : values)
    if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
}

}  // namespace

std::vector<std::string> resolve_addresses(const Uri& uri) {
  if (uri.scheme == Scheme::unix_socket) {
    std::error_code ignored;
    const std::filesystem::path canonical =
        std::filesystem::weakly_canonical(uri.socket_path, ignored);
    return {"unix:" + (canonical.empty() ? uri.socket_path : canonical.string())};
  }
  const std::string port = std::to_string(uri.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::vector<std::string> addresses;
  if (::getaddrinfo(uri.host.c_str(), port.c_str(), &hints, &found) == 0) {
    const std::unique_ptr<addrinfo, AddrinfoDeleter> list(found);
    for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next)
      add_unique(addresses, {numeric_address(entry->ai_addr) + ":" + port});
  }
  if (addresses.empty()) addresses.push_back(uri.endpoint());
  return addresses;
}

EndpointIdentity identify_server(Connection& connection) {
  EndpointIdentity identity;
  identity.description = connection.describe();
  identity.db = connection.options().uri.db;
  // Through sentinels, the server is the one they named, not a sentinel: two
  // sides watched by the same sentinels are different servers.
  const Uri& uri = connection.options().uri;
  identity.addresses = resolve_addresses(uri.is_sentinel() && !connection.node().empty()
                                             ? Uri::parse("redis://" + connection.node())
                                             : uri);
  if (const Reply info = connection.command({"INFO", "server"}); info.is_string()) {
    if (std::string run_id = info_field(info.str, "run_id"); !run_id.empty())
      identity.server_ids.push_back("run_id:" + run_id);
  }
  // A member of a single-master cluster may pass for a single server: its
  // node id matches the other side's cluster view of it.
  if (const Reply node = connection.command({"CLUSTER", "MYID"}); node.is_string())
    identity.server_ids.push_back("node:" + node.str);
  return identity;
}

EndpointIdentity identify_cluster(const cluster::Topology& topology,
                                  const ConnectionOptions& seed) {
  EndpointIdentity identity;
  identity.description = seed.role.empty() ? "cluster " + seed.uri.endpoint()
                                           : seed.role + " cluster " + seed.uri.endpoint();
  identity.addresses = resolve_addresses(seed.uri);
  for (const std::string& id : topology.node_ids()) identity.server_ids.push_back("node:" + id);
  for (const cluster::Shard& shard : topology.shards()) {
    std::vector<const cluster::NodeAddress*> nodes{&shard.master};
    for (const cluster::NodeAddress& replica : shard.replicas) nodes.push_back(&replica);
    for (const cluster::NodeAddress* node : nodes) {
      Uri uri = seed.uri;
      uri.scheme = Scheme::tcp;
      uri.host = node->host;
      uri.port = node->port;
      add_unique(identity.addresses, resolve_addresses(uri));
    }
  }
  return identity;
}

}  // namespace riot::redis
