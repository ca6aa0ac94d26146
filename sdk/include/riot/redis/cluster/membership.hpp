#pragma once
// Whether a server is a member of a Redis Cluster, found out with whatever
// the user may run: a cluster node that is taken for a single server gives
// the keys of its own slots only, so a wrong answer loses data silently.

#include <optional>
#include <string>
#include <vector>

#include "riot/redis/connection.hpp"

namespace riot::redis::cluster {

// A keyed command a component may run anyway, sent for one key of every slot
// when INFO and CLUSTER are refused: a cluster node answers MOVED for the
// slots it does not serve. It must change nothing, whatever the key holds:
// PTTL (the default), EXISTS, or RESTORE without REPLACE and with a payload
// the server rejects.
struct KeyProbe {
  std::string command = "PTTL";
  std::vector<std::string> arguments;  // after the key

  // "RESTORE key 0 <invalid payload>": what a writer that may only RESTORE
  // can probe with.
  static KeyProbe restore();
};

struct Membership {
  std::optional<bool> member;  // nothing: every way of asking was refused
  // How it was decided ("detected from CLUSTER INFO (INFO refused)",
  // "probed with PTTL on 16384 slots: MOVED for 10923"), or, undecided,
  // what was refused and why.
  std::string how;
};

// Asks INFO cluster, then CLUSTER INFO, CLUSTER SLOTS and CLUSTER MYID (a
// single server answers "cluster support disabled"), each only when the
// previous one was refused (NOPERM, renamed away); then, when `probe` is
// given, sends it for a key of every slot. Throws IoError (and its kinds)
// when the connection fails.
Membership find_membership(Connection& connection, const KeyProbe* probe);

// Whether an error reply is one a cluster node gives about a key it does not
// serve (MOVED, ASK) or cannot serve now (CLUSTERDOWN, TRYAGAIN): a single
// server never does.
bool is_cluster_reply(std::string_view error);

}  // namespace riot::redis::cluster
