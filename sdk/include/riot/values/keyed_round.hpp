#pragma once
// One pipelined round of reads about a batch of keys, sent until the server
// answers it as the retry policy allows: the round trip of ValueReader and of
// every component that reads keys in rounds (a comparator, on either side).
// Reading is harmless to repeat, so a transient refusal (LOADING, OOM) sends
// the whole round again.

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "riot/host_context.hpp"
#include "riot/record.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"
#include "riot/retrying_pipeline.hpp"

namespace riot::values {

struct KeyedRound {
  redis::Client& client;
  RetryingPipeline& pipeline;
  HostContext& host;
  // What a key given up on is reported as: "not read", "not compared".
  std::string_view failure_prefix;
};

// Sends the commands `encode` appends and fills `replies` with the answered
// attempt's replies; returns when that attempt was sent. When the run stops
// first, every key of `keys` is reported as failed and nothing is returned;
// when the retries run out, they are reported and the error is thrown, as is
// a failure no retry mends.
std::optional<Expiry::Clock::time_point> fetch_round(
    const KeyedRound& round, const std::function<void(redis::KeyedCommands&)>& encode,
    const std::vector<std::string_view>& keys, std::vector<redis::Reply>& replies);

// Throws redis::ServerRefusalError when `reply` refuses the command to the
// user or the server (NOPERM, renamed away) rather than concerns its key;
// `side` is "source" or "target".
void refuse_server_errors(const redis::Reply& reply, const redis::Client& client,
                          std::string_view side);

}  // namespace riot::values
