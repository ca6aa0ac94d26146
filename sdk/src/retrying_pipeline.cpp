#include "riot/retrying_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace riot {

void RetryOutcome::throw_gave_up(const std::string& endpoint, std::string_view detail) const {
  std::string message = cause + "; gave up " + attempts;
  message += detail;
  if (connection_failed) throw redis::IoError(endpoint, message);
  throw redis::ReplyError(endpoint, message);
}

RetryingPipeline::RetryingPipeline(RetryOptions options, HostContext& host)
    : options_(options), host_(host) {}

RetryOutcome RetryingPipeline::send(redis::Client& client, const Batch& batch) {
  commands_.track_slots(client.is_cluster());
  int timeouts = 0;                  // of this operation's sends
  bool timeout_unexplained = false;  // on_timeout() has not run since the last one
  Expiry::Clock::time_point sent_at{};
  const auto attempt = [&]() -> std::string {
    if (timeout_unexplained) {
      // Before anything is sent again: the hook spares the server what made
      // it time out. Should it fail, it runs again before the next attempt.
      batch.on_timeout(timeouts);
      timeout_unexplained = false;
    }
    for (;;) {
      // Taken before sending: a TTL the server reports is then never
      // stretched by the round trip's duration.
      sent_at = Expiry::Clock::now();
      if (!batch.encode(commands_)) return {};
      replies_.clear();
      try {
        // A failed attempt left the connection closed: this reconnects
        // first (on a cluster, from a fresh topology).
        client.pipeline(commands_, replies_);
      } catch (const redis::RequestRejectedError& error) {
        // Not a retry when the items at fault are out: fewer are sent now.
        if (batch.on_rejected && batch.on_rejected(error)) continue;
        throw;
      } catch (const redis::TimeoutError&) {
        ++timeouts;
        timeout_unexplained = static_cast<bool>(batch.on_timeout);
        throw;
      }
      return batch.settle(replies_);
    }
  };
  RetryOutcome outcome = run(attempt, [&client] { return client.describe(); }, {}, {});
  outcome.sent_at = sent_at;
  return outcome;
}

RetryOutcome RetryingPipeline::send(redis::Connection& connection, const Command& command,
                                    redis::Reply& reply,
                                    const std::function<std::string()>& subject) {
  const auto attempt = [&]() -> std::string {
    // A failed attempt left the connection closed: this reconnects first.
    reply = connection.command(command.arguments());
    if (!reply.is_error() || !redis::is_transient_error_reply(reply.str)) return {};
    return command.what + " refused: " + reply.str;
  };
  const auto describe = [&] { return subject ? subject() : connection.describe(); };
  return run(attempt, describe, command.what, command.on_connection_lost);
}

RetryOutcome RetryingPipeline::run(const Attempt& attempt,
                                   const std::function<std::string()>& subject,
                                   std::string_view what,
                                   const std::function<void()>& on_connection_lost) {
  RetryBudget budget(options_, host_.cancellation());
  for (;;) {
    RetryOutcome outcome;
    try {
      outcome.cause = attempt();
      if (outcome.cause.empty()) return outcome;
    } catch (const redis::TlsError&) {
      throw;  // the same TLS settings would fail the same way: no retry
    } catch (const redis::IoError& error) {
      // Lost, timed out or garbled: what the server applied is unknown, so
      // every pending item is sent again.
      outcome.cause = cause_of(error);
      if (!what.empty()) outcome.cause += " (" + std::string(what) + ")";
      outcome.connection_failed = true;
    }
    outcome.failure = subject() + ": " + outcome.cause;
    const RetryVerdict verdict = budget.after_failure(host_.logger(), outcome.failure);
    if (verdict == RetryVerdict::retry) {
      if (outcome.connection_failed && on_connection_lost) on_connection_lost();
      continue;
    }
    outcome.status = verdict == RetryVerdict::cancelled ? RetryOutcome::Status::cancelled
                                                        : RetryOutcome::Status::exhausted;
    outcome.attempts = budget.describe_attempts();
    return outcome;
  }
}

}  // namespace riot
