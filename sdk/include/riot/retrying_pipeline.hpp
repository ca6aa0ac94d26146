#pragma once
// The one retry loop of every component that talks to Redis. A component says
// what its commands are (encode what is still pending) and what a reply means
// (settle the items it answers); RetryingPipeline sends them, and on a lost,
// timed-out or garbled connection, or on an error reply worth a retry
// (redis::is_transient_error_reply), waits the RetryOptions backoff and sends
// again what is still pending, reconnecting on the way (a Client or a
// Connection whose last attempt failed reconnects before the next one). It
// stops waiting at once when the run is cancelled, and tells the caller how
// the operation ended (RetryOutcome) so that the caller reports its items.
//
// Failures no retry can mend go through untouched: a TlsError (the same
// settings fail the same way), a redis::Error that is not an IoError (a
// reconnect whose AUTH was refused), and whatever a hook throws other than an
// IoError (a ServerRefusalError from settle()).
//
// Plugin authors: use it rather than a loop over RetryBudget of your own, so
// that every component retries, logs and gives up alike.

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/host_context.hpp"
#include "riot/record.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "riot/redis/reply.hpp"
#include "riot/retry.hpp"

namespace riot {

// How an operation sent through a RetryingPipeline ended.
struct RetryOutcome {
  enum class Status {
    answered,   // every item settled (or none was left to send)
    exhausted,  // the retries ran out: `cause` says why the last attempt failed
    cancelled,  // the run stopped before the next retry
  };

  Status status = Status::answered;
  // Why the last attempt failed, without the endpoint ("connection reset by
  // peer", "3 keys (...) refused: OOM ..."); empty when answered.
  std::string cause;
  // The last attempt failed on the connection (lost, timed out, garbled)
  // rather than with an error reply: what it applied is unknown.
  bool connection_failed = false;
  // "source 127.0.0.1:6379: " + cause: what a component reports for each of
  // the items it gives up on.
  std::string failure;
  // "after 10 retries in 26.3 s" (RetryBudget::describe_attempts).
  std::string attempts;
  // When the answered attempt was sent (taken before sending: a TTL the
  // server reports is then never stretched by the round trip).
  Expiry::Clock::time_point sent_at{};

  bool answered() const noexcept { return status == Status::answered; }
  bool cancelled() const noexcept { return status == Status::cancelled; }

  // Throws for an exhausted operation: an IoError when the connection failed,
  // a ReplyError when the server kept refusing, about `endpoint`, saying
  // "CAUSE; gave up after N retries in T s" followed by `detail` ("; not read
  // from this batch: 3 keys ...").
  [[noreturn]] void throw_gave_up(const std::string& endpoint, std::string_view detail = {}) const;
};

// What ends the error of each item reported because the run stopped during a
// backoff wait.
inline constexpr std::string_view kStoppedBeforeRetry = " (the run stopped before the next retry)";

class RetryingPipeline {
 public:
  // What a component says about a batch of keyed commands.
  struct Batch {
    // Encodes the commands of the items still pending into `commands`
    // (cleared first); returns false when none is left to send, which ends
    // the operation as answered. Called before every attempt, so that an
    // item can change between attempts (a TTL that shrank, an item dropped).
    std::function<bool(redis::KeyedCommands& commands)> encode;
    // Reads the replies of an attempt (one per command, in order): settles
    // the items they answer and keeps pending those refused for a transient
    // reason. Returns why items are still pending ("DUMP refused: LOADING
    // ..."), empty when everything is settled. May throw to end the
    // operation (a refusal about the whole server).
    std::function<std::string(std::vector<redis::Reply>& replies)> settle;
    // Optional. After the `timeouts`-th command timeout of this operation,
    // before the next attempt: spare the server the items whose command
    // alone outlives the timeout (reported and dropped by the caller). An
    // IoError it throws is a failed attempt; it is then called again before
    // the following one, with the same count.
    std::function<void(int timeouts)> on_timeout;
    // Optional. The server rejected the request and closed the connection
    // (redis::RequestRejectedError, such as an argument above its
    // proto-max-bulk-len). Returns true when it took the items at fault out
    // of the pending ones: the rest is sent again at once, without spending
    // a retry. False: an ordinary connection failure.
    std::function<bool(const redis::RequestRejectedError& error)> on_rejected;
  };

  // What a component says about a single command.
  struct Command {
    // The command's arguments, built anew for each attempt (they may depend
    // on state a retry changes, such as a SCAN cursor after a failover).
    std::function<std::span<const std::string_view>()> arguments;
    // Describes the command in messages ("SCAN from cursor 0, 0 keys
    // emitted").
    std::string what;
    // Optional. Called before the retry that follows a connection failure:
    // the caller may point the connection elsewhere (a shard's new master).
    std::function<void()> on_connection_lost;
  };

  // `host` gives the cancellation token, and the logger that warns of each
  // retry ("ENDPOINT: CAUSE; retry 3 of 10 in 400 ms").
  RetryingPipeline(RetryOptions options, HostContext& host);

  // Sends a batch through `client` until every item is settled, as the retry
  // policy allows.
  RetryOutcome send(redis::Client& client, const Batch& batch);

  // Sends one command on `connection` until the server answers it with
  // anything but a transient error reply; `reply` then holds the answer
  // (which may be an error reply). `subject` names the connection in
  // messages; its current describe() when empty.
  RetryOutcome send(redis::Connection& connection, const Command& command, redis::Reply& reply,
                    const std::function<std::string()>& subject = {});

  const RetryOptions& options() const noexcept { return options_; }

 private:
  // One attempt: returns why items are still pending (empty: answered);
  // throws IoError (and its kinds) when the connection failed.
  using Attempt = std::function<std::string()>;
  // The loop both sends share. `what`, when set, ends the cause of a
  // connection failure (" (SCAN from cursor 0)"); `on_connection_lost` runs
  // before the retry that follows one.
  RetryOutcome run(const Attempt& attempt, const std::function<std::string()>& subject,
                   std::string_view what, const std::function<void()>& on_connection_lost);

  RetryOptions options_;
  HostContext& host_;
  // Reused across batches: clear() keeps their capacity.
  redis::KeyedCommands commands_;
  std::vector<redis::Reply> replies_;
};

}  // namespace riot
