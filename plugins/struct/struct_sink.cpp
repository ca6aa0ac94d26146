#include "struct_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>

#include "riot/write_tally.hpp"

namespace riot::struct_plugin {
namespace {

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

MergePolicy merge_policy_of(const std::string& name) {
  return name == "merge" ? MergePolicy::merge : MergePolicy::overwrite;
}

StreamIdPolicy stream_id_policy_of(const std::string& name) {
  return name == "drop" ? StreamIdPolicy::drop : StreamIdPolicy::propagate;
}

}  // namespace

StructSinkOptions StructSinkOptions::from_config(const nlohmann::json& config) {
  StructSinkOptions options;
  options.write.merge = merge_policy_of(config.value("merge", std::string("overwrite")));
  options.write.stream_ids =
      stream_id_policy_of(config.value("stream_ids", std::string("propagate")));
  options.replace = config.value("replace", true);
  return options;
}

StructSink::StructSink(redis::ClientOptions client, StructSinkOptions options, RetryOptions retry,
                       HostContext& host)
    : client_(redis::Client::open(std::move(client))),
      options_(options),
      pipeline_(retry, host),
      host_(host),
      writer_(options.write, options.replace, host) {}

void StructSink::write(RecordBatch& records) {
  std::vector<std::size_t> remaining(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) remaining[i] = i;
  std::vector<std::size_t> deferred;
  std::unordered_set<std::string_view> keys;
  while (!remaining.empty()) {
    // A key's second record waits for the next round, and so do the records
    // of that key after it.
    round_.clear();
    deferred.clear();
    keys.clear();
    for (const std::size_t index : remaining) {
      if (keys.insert(records[index].key).second) {
        round_.push_back(index);
      } else {
        deferred.push_back(index);
      }
    }
    send_round(records);
    remaining.swap(deferred);
  }
  discard_staging_keys();
}

void StructSink::send_round(const RecordBatch& records) {
  pending_ = round_;
  refusals_.clear();
  awaiting_replies_ = false;

  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    if (awaiting_replies_) give_up_uncertain_chunks(records);
    encode(records, commands);
    awaiting_replies_ = !pending_.empty();
    return !pending_.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    awaiting_replies_ = false;
    settle(records, replies);
    if (pending_.empty()) return {};
    return describe_keys(pending_.size(), first_pending_keys(records)) +
           " refused: " + refusals_.front();
  };
  batch.on_rejected = [&](const redis::RequestRejectedError& error) {
    if (!redis::is_oversized_argument_reply(error.reply())) return false;
    awaiting_replies_ = false;  // the commands before it were applied, in full transactions
    fail_oversized(records, error.reply());
    return true;
  };

  RetryOutcome outcome;
  try {
    outcome = pipeline_.send(*client_, batch);
  } catch (const redis::ServerRefusalError&) {
    throw;  // no retry mends it, and it is about every key, not these
  } catch (const redis::TlsError& error) {
    report_pending(records, error.what(), "");
    throw;
  } catch (const redis::Error& error) {
    const redis::Refusal refusal = redis::classify_error_reply(cause_of(error), refusal_context());
    if (refusal.scope == redis::RefusalScope::server)
      throw redis::ServerRefusalError(client_->describe(), refusal);
    report_pending(records, error.what(), "");
    throw;
  }
  if (!outcome.answered()) give_up(records, outcome);
}

void StructSink::encode(const RecordBatch& records, redis::KeyedCommands& commands) {
  commands.clear();
  commands.track_slots(client_->is_cluster());
  const Expiry::Clock::time_point now = Expiry::Clock::now();
  std::uint64_t expired = 0;
  std::size_t kept = 0;
  replies_.clear();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    // A whole value whose TTL ran out is gone on the source too; a big key's
    // chunks all go, its TTL is then 1 ms.
    if (record.kind == RecordKind::value && record.chunk.is_whole() &&
        record.expiry.has_expired(now)) {
      ++expired;
      continue;
    }
    const std::size_t count = writer_.append(record, commands);
    if (count == 0) continue;  // reported already, or a chunk of a key given up on
    pending_[kept] = pending_[i];
    if (i < refusals_.size()) refusals_[kept] = std::move(refusals_[i]);
    replies_.push_back(count);
    ++kept;
  }
  pending_.resize(kept);
  if (refusals_.size() > kept) refusals_.resize(kept);
  if (expired > 0) Metrics::add(host_.metrics().keys_expired, expired);
}

void StructSink::give_up_uncertain_chunks(const RecordBatch& records) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (record.kind == RecordKind::value && record.chunk.index > 0) {
      fail(record, "not written: the connection was lost while chunk " +
                       std::to_string(record.chunk.index) +
                       " was on its way, and a chunk applied twice would corrupt the value; a "
                       "later change or reconciliation copies the key again");
      continue;
    }
    pending_[kept] = pending_[i];
    if (i < refusals_.size()) refusals_[kept] = std::move(refusals_[i]);
    ++kept;
  }
  pending_.resize(kept);
  if (refusals_.size() > kept) refusals_.resize(kept);
}

void StructSink::settle(const RecordBatch& records, std::vector<redis::Reply>& replies) {
  WriteTally tally;
  std::uint64_t failed = 0;
  std::optional<redis::Refusal> server_refusal;
  std::vector<std::size_t> still_pending;
  std::vector<std::string> still_refused;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    const std::span<const redis::Reply> answers(replies.data() + next, replies_[i]);
    next += replies_[i];
    values::WriteJudgement judgement = writer_.judge(record, answers);
    if (judgement.verdict == values::WriteJudgement::Verdict::applied) {
      tally.applied(record);
      continue;
    }
    if (judgement.verdict == values::WriteJudgement::Verdict::left_alone) {
      tally.left_alone(record);
      continue;
    }
    redis::Refusal refusal;
    if (!judgement.error_reply.empty())
      refusal = redis::classify_error_reply(judgement.error_reply, refusal_context());
    switch (refusal.scope) {
      case redis::RefusalScope::transient:
        still_pending.push_back(pending_[i]);
        still_refused.push_back(std::move(judgement.error));
        break;
      case redis::RefusalScope::key:
        ++failed;
        fail(record, judgement.error);
        break;
      case redis::RefusalScope::server:
        if (!server_refusal) server_refusal = std::move(refusal);
        break;
    }
  }
  tally.add_to(host_.metrics());
  host_.logger().debug(
      "{} records sent: {} keys written ({} bytes), {} deleted, {} left alone (on the target "
      "already), {} failed, {} refused for now",
      pending_.size(), tally.written(), tally.bytes(), tally.deleted(), tally.existing(), failed,
      still_pending.size());
  pending_.swap(still_pending);
  refusals_.swap(still_refused);
  if (server_refusal) throw redis::ServerRefusalError(client_->describe(), *server_refusal);
}

void StructSink::fail_oversized(const RecordBatch& records, const std::string& reply) {
  std::size_t heaviest = 0;
  for (const std::size_t index : pending_) heaviest = std::max(heaviest, records[index].weight());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (record.weight() < heaviest) {
      pending_[kept] = pending_[i];
      if (i < refusals_.size()) refusals_[kept] = std::move(refusals_[i]);
      ++kept;
      continue;
    }
    fail(record, "not written: an argument of its " + std::to_string(record.weight()) +
                     " bytes is longer than the target accepts (" + reply +
                     "): raise proto-max-bulk-len on the target, or lower chunk_above_bytes and "
                     "chunk_bytes of codec.struct");
  }
  pending_.resize(kept);
  if (refusals_.size() > kept) refusals_.resize(kept);
}

void StructSink::give_up(const RecordBatch& records, const RetryOutcome& outcome) {
  const std::string connection_failure = outcome.connection_failed ? outcome.failure : "";
  if (outcome.cancelled()) {
    report_pending(records, connection_failure, kStoppedBeforeRetry);
    return;
  }
  const std::string endpoint = client_->describe();
  const std::string keys = describe_keys(pending_.size(), first_pending_keys(records));
  const std::string first_refusal = refusals_.empty() ? std::string() : refusals_.front();
  report_pending(records, connection_failure, "");
  discard_staging_keys();
  if (outcome.connection_failed)
    outcome.throw_gave_up(endpoint, "; not written from this batch: " + keys);
  throw redis::ReplyError(endpoint,
                          keys + " still refused " + outcome.attempts + ": " + first_refusal);
}

void StructSink::fail(const Record& record, const std::string& error) {
  host_.report_failure(record.key, error);
  writer_.abandon(record);
}

void StructSink::report_pending(const RecordBatch& records, const std::string& connection_failure,
                                std::string_view suffix) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    const std::string cause = !connection_failure.empty() ? "not written: " + connection_failure
                              : i < refusals_.size()      ? refusals_[i]
                                                          : std::string("not written");
    fail(record, cause + std::string(suffix));
  }
  pending_.clear();
  refusals_.clear();
}

std::vector<std::string_view> StructSink::first_pending_keys(const RecordBatch& records) const {
  std::vector<std::string_view> keys;
  for (std::size_t i = 0; i < pending_.size() && i < kKeysNamed; ++i)
    keys.emplace_back(records[pending_[i]].key);
  return keys;
}

void StructSink::flush() {
  const std::size_t unfinished = writer_.abandon_unfinished();
  if (unfinished > 0) {
    host_.logger().warn(
        "{} big keys were not finished when the run stopped: their staging keys "
        "are deleted",
        unfinished);
  }
  discard_staging_keys();
}

void StructSink::discard_staging_keys() {
  const std::vector<std::string> staging = writer_.take_discards();
  if (staging.empty()) return;
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    commands.track_slots(client_->is_cluster());
    for (const std::string& key : staging) commands.append(key, {"DEL", key});
    return true;
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    for (std::size_t i = 0; i < replies.size() && i < staging.size(); ++i) {
      if (replies[i].is_error()) {
        host_.logger().warn("staging key \"{}\" left on the target: DEL failed: {}",
                            printable_key(staging[i]), replies[i].str);
      }
    }
    return {};
  };
  try {
    const RetryOutcome outcome = pipeline_.send(*client_, batch);
    if (!outcome.answered()) {
      host_.logger().warn("{} staging keys left on the target ({}): {}", staging.size(),
                          printable_key(staging.front()), outcome.failure);
    }
  } catch (const redis::Error& error) {
    host_.logger().warn("{} staging keys left on the target ({}): {}", staging.size(),
                        printable_key(staging.front()), error.what());
  }
}

redis::RefusalContext StructSink::refusal_context() const {
  return redis::RefusalContext{"target", client_->is_cluster()};
}

}  // namespace riot::struct_plugin
