#pragma once
// Which node serves reads: one setting for a Redis Cluster's shards and for
// the servers Redis Sentinel watches. Its own header so that a connection's
// options can name it without the cluster topology.

#include <optional>
#include <string_view>

namespace riot::redis::cluster {

enum class ReadFrom {
  master,             // the master of each shard (always up to date)
  replica,            // a replica of each shard; a shard without one is an error
  replica_preferred,  // a replica when the shard has one, else its master
  any,                // any node of the shard, the master included
};
std::string_view to_string(ReadFrom read_from);
// The mode named by `text`: master, replica, replica-preferred (also
// replica_preferred), any.
std::optional<ReadFrom> parse_read_from(std::string_view text);

}  // namespace riot::redis::cluster
