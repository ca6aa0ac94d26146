#include "riot/values/keyed_round.hpp"

#include <algorithm>
#include <string>

#include "riot/redis/errors.hpp"
#include "riot/retry.hpp"

namespace riot::values {
namespace {

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

}  // namespace

std::optional<Expiry::Clock::time_point> fetch_round(
    const KeyedRound& round, const std::function<void(redis::KeyedCommands&)>& encode,
    const std::vector<std::string_view>& keys, std::vector<redis::Reply>& replies) {
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    commands.track_slots(round.client.is_cluster());
    encode(commands);
    return !commands.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& answered) -> std::string {
    replies.swap(answered);
    for (const redis::Reply& reply : replies) {
      if (reply.is_error() && redis::is_transient_error_reply(reply.str))
        return "read refused: " + reply.str;
    }
    return {};
  };
  const auto report = [&](const std::string& error) {
    const std::string message = std::string(round.failure_prefix) + ": " + error;
    for (const std::string_view key : keys) round.host.report_failure(key, message);
  };

  RetryOutcome outcome;
  try {
    replies.clear();
    outcome = round.pipeline.send(round.client, batch);
  } catch (const redis::ServerRefusalError&) {
    throw;  // about every key, said once by the run
  } catch (const redis::Error& error) {
    report(error.what());
    throw;
  }
  switch (outcome.status) {
    case RetryOutcome::Status::answered:
      return outcome.sent_at;
    case RetryOutcome::Status::cancelled:
      report(outcome.failure + std::string(kStoppedBeforeRetry));
      return std::nullopt;
    case RetryOutcome::Status::exhausted:
      break;
  }
  report(outcome.failure);
  const std::vector<std::string_view> first(keys.begin(),
                                            keys.begin() + std::min(keys.size(), kKeysNamed));
  outcome.throw_gave_up(round.client.describe(),
                        "; " + std::string(round.failure_prefix) +
                            " from this batch: " + describe_keys(keys.size(), first));
}

void refuse_server_errors(const redis::Reply& reply, const redis::Client& client,
                          std::string_view side) {
  if (!reply.is_error()) return;
  const redis::Refusal refusal =
      redis::classify_error_reply(reply.str, {side, client.is_cluster()});
  if (refusal.scope == redis::RefusalScope::server)
    throw redis::ServerRefusalError(client.describe(), refusal);
}

}  // namespace riot::values
