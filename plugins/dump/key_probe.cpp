#include "key_probe.hpp"

#include <string_view>

#include "riot/redis/errors.hpp"

namespace riot::dump_plugin {
namespace {

constexpr std::size_t kCommandsPerKey = 3;  // MEMORY USAGE, TYPE, PTTL

// "LOADING ...": the first reply worth a retry of the whole round.
std::string transient_refusal(const std::vector<redis::Reply>& replies) {
  for (const redis::Reply& reply : replies)
    if (reply.is_error() && redis::is_transient_error_reply(reply.str)) return reply.str;
  return {};
}

void check_count(const redis::Client& client, std::size_t expected, std::size_t got) {
  if (got != expected)
    throw redis::ProtocolError(client.describe(), "expected " + std::to_string(expected) +
                                                      " replies to the sizing pipeline, got " +
                                                      std::to_string(got));
}

// The second round, for the keys whose MEMORY USAGE was refused: the length
// command of their type.
RetryOutcome measure_by_length(redis::Client& client, RetryingPipeline& pipeline,
                               const KeyBatch& keys, const std::vector<std::size_t>& refused,
                               std::vector<KeyProbe>& probes) {
  std::vector<std::size_t> measured;
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    measured.clear();
    for (const std::size_t index : refused) {
      const std::string_view command = length_command(probes[index].type);
      if (command.empty()) continue;  // a module type: its size stays unknown
      commands.append(keys[index].key, {command, keys[index].key});
      measured.push_back(index);
    }
    return !commands.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    const std::string refusal = transient_refusal(replies);
    if (!refusal.empty()) return "sizing refused: " + refusal;
    check_count(client, measured.size(), replies.size());
    for (std::size_t i = 0; i < measured.size(); ++i) {
      KeyProbe& probe = probes[measured[i]];
      probe.size = size_from_length(probe.type, replies[i]);
    }
    return {};
  };
  return pipeline.send(client, batch);
}

}  // namespace

RetryOutcome probe_keys(redis::Client& client, RetryingPipeline& pipeline, const KeyBatch& keys,
                        int memory_samples, std::vector<KeyProbe>& probes) {
  const std::string samples = std::to_string(memory_samples);
  std::vector<std::size_t> refused;  // MEMORY renamed away, or denied by an ACL
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    for (const KeyEvent& event : keys) {
      commands.append(event.key, {"MEMORY", "USAGE", event.key, "SAMPLES", samples});
      commands.append(event.key, {"TYPE", event.key});
      commands.append(event.key, {"PTTL", event.key});
    }
    return !keys.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    const std::string refusal = transient_refusal(replies);
    if (!refusal.empty()) return "sizing refused: " + refusal;
    check_count(client, keys.size() * kCommandsPerKey, replies.size());
    probes.assign(keys.size(), KeyProbe{});
    refused.clear();
    const Expiry::Clock::time_point now = Expiry::Clock::now();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      redis::Reply* reply = &replies[i * kCommandsPerKey];
      KeyProbe& probe = probes[i];
      probe.type = std::move(reply[1].str);
      probe.pttl = reply[2].is_integer() ? reply[2].integer : -2;
      probe.sent_at = now;
      if (reply[0].is_integer() && reply[0].integer >= 0) {
        probe.size.measure = KeySize::Measure::bytes;
        probe.size.amount = static_cast<std::uint64_t>(reply[0].integer);
      } else if (reply[0].is_error() && !probe.gone()) {
        refused.push_back(i);
      }
    }
    return {};
  };
  RetryOutcome outcome = pipeline.send(client, batch);
  if (!outcome.answered()) return outcome;
  // A TTL is never stretched: the deadline counts from the send.
  for (KeyProbe& probe : probes) probe.sent_at = outcome.sent_at;
  if (refused.empty()) return outcome;
  return measure_by_length(client, pipeline, keys, refused, probes);
}

}  // namespace riot::dump_plugin
