#pragma once
// The identity of the servers a client talks to (see riot/endpoint_identity.hpp):
// what a component reports to the host so that a run never writes into the
// database it reads.

#include <vector>

#include "riot/endpoint_identity.hpp"
#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/connection.hpp"

namespace riot::redis {

// The server on `connection`, a single one: INFO server's run_id and, when
// it answers, CLUSTER MYID; its resolved addresses; the connection's db. A
// refused command leaves its id out. Throws IoError when the connection fails.
EndpointIdentity identify_server(Connection& connection);

// A cluster: the id of every node of `topology` (CLUSTER SLOTS names them),
// the resolved addresses of the nodes and of the seed in `seed`; db 0.
EndpointIdentity identify_cluster(const cluster::Topology& topology, const ConnectionOptions& seed);

// "127.0.0.1:6379", "[::1]:6379" for every address `host` resolves to (the
// host itself when it does not resolve); "unix:<canonical path>" for a
// socket.
std::vector<std::string> resolve_addresses(const Uri& uri);

}  // namespace riot::redis
