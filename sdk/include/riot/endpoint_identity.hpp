#pragma once
// What a component reads from or writes to, as the servers themselves tell
// it. The host compares what every component reports before the run starts:
// writing into the database being read would restore stale values over the
// applications' newer ones, however differently the two sides are spelled
// (127.0.0.1 and localhost, a Unix socket and TCP, a cluster node and its
// seed).

#include <string>
#include <vector>

namespace riot {

enum class EndpointUse { read, write };

struct EndpointIdentity {
  // "source 127.0.0.1:6379": names the endpoint in messages (no password).
  std::string description;
  // The servers' own ids: "run_id:<INFO server run_id>", "node:<CLUSTER
  // MYID>" (every node of a cluster). Empty when the servers refused to tell.
  std::vector<std::string> server_ids;
  // Every address the endpoint resolves to, "127.0.0.1:6379", "[::1]:6379",
  // "unix:/run/redis.sock": compared only when ids are missing.
  std::vector<std::string> addresses;
  int db = 0;
};

}  // namespace riot
