#pragma once
// Finding the server behind a sentinel URI (Uri::is_sentinel): the sentinels
// are asked in the URI's order and the first that answers decides, as
// redis-cli, Lettuce and the Sentinel client guidelines do. A sentinel that
// cannot be reached, or does not know the master, hands over to the next.

#include <string>

#include "riot/redis/connection_options.hpp"
#include "riot/redis/reply.hpp"

namespace riot::redis::detail {

struct SentinelChoice {
  HostPort node;
  bool master = true;    // the node is the master; false: one of its replicas
  std::string sentinel;  // "host:port" of the sentinel that answered
};

// The node that `options` should connect to now: the master, or under
// options.sentinel.read_from a replica that is up (neither s_down, o_down nor
// disconnected, its link to the master ok). Throws ReplyError naming the URI
// (password masked) when the sentinels that answer do not know the master,
// IoError naming it when none answers or, under read_from replica, none
// names a usable replica (both may pass: a retry asks again).
SentinelChoice ask_sentinels(const ConnectionOptions& options);

// The role a ROLE reply gives ("master", "slave", "sentinel"), empty when
// the reply is not one.
std::string role_of(const Reply& role);

// `options` pointed at `node` itself: what the transport connects to.
ConnectionOptions node_options(const ConnectionOptions& options, const HostPort& node);

}  // namespace riot::redis::detail
