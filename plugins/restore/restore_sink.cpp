#include "restore_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "riot/redis/errors.hpp"
#include "riot/write_tally.hpp"
#include "string_payload.hpp"

namespace riot::restore_plugin {
namespace {

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

// A string read whole (by GET) goes by SET, or by RESTORE of riot's own
// payload when the target refuses SET.
bool is_whole_string(const Record& record) {
  return record.kind == RecordKind::value && record.chunk.is_whole() && record.type == "string" &&
         record.parts.size() == 1;
}

// The command a record's failure is reported under.
std::string command_name(const Record& record) {
  switch (record.kind) {
    case RecordKind::erase:
      return "DEL";
    case RecordKind::dump:
      return "RESTORE";
    case RecordKind::value:
    case RecordKind::digest:  // not accepted: validation keeps digests away
      break;
  }
  return is_whole_string(record) ? "SET" : record.type + " write";
}

// NOPERM for the command (not for a key) or an unknown command: the user or
// the server refuses SET itself.
bool refuses_the_command(std::string_view reply) {
  return (reply.starts_with("NOPERM") && reply.find(" command") != std::string_view::npos) ||
         reply.starts_with("ERR unknown command");
}

bool is_chunk(const Record& record) {
  return record.kind == RecordKind::value && !record.chunk.is_whole();
}

// The largest argument a record's commands carry.
std::size_t argument_bytes(const Record& record) {
  std::size_t largest = std::max(record.key.size(), record.payload.size());
  for (const std::string& part : record.parts) largest = std::max(largest, part.size());
  return largest;
}

}  // namespace

RestoreOptions RestoreOptions::from_config(const nlohmann::json& config) {
  RestoreOptions options;
  options.replace = config.value("replace", true);
  return options;
}

RestoreSink::RestoreSink(redis::ClientOptions client, RestoreOptions options, RetryOptions retry,
                         HostContext& host)
    : client_(redis::Client::open(std::move(client))),
      options_(options),
      pipeline_(retry, host),
      host_(host),
      values_(WriteOptions{}, options.replace, host) {}

void RestoreSink::write(RecordBatch& records) {
  if (records.empty()) return;
  round_.resize(records.size());
  std::iota(round_.begin(), round_.end(), std::size_t{0});
  if (std::none_of(records.begin(), records.end(), is_chunk)) {
    send_round(records);
  } else {
    // A key's next record waits for the next round, and so do the records
    // of that key after it: each round applies one record per key.
    std::vector<std::size_t> remaining;
    remaining.swap(round_);
    std::vector<std::size_t> deferred;
    std::unordered_set<std::string_view> keys;
    while (!remaining.empty()) {
      round_.clear();
      deferred.clear();
      keys.clear();
      for (const std::size_t index : remaining)
        (keys.insert(records[index].key).second ? round_ : deferred).push_back(index);
      send_round(records);
      remaining.swap(deferred);
    }
  }
  discard_staging_keys();
}

void RestoreSink::flush() {
  const std::size_t unfinished = values_.abandon_unfinished();
  if (unfinished > 0) {
    host_.logger().warn(
        "{} big keys were not finished when the run stopped: their staging keys are deleted",
        unfinished);
  }
  discard_staging_keys();
}

void RestoreSink::send_round(const RecordBatch& records) {
  // A target that refused SET takes the strings of this attempt again, by
  // RESTORE, at once: no retry is spent on what is not a transient refusal.
  while (!round_.empty()) {
    send_attempts(records);
    round_.swap(resend_);
    resend_.clear();
  }
}

void RestoreSink::send_attempts(const RecordBatch& records) {
  pending_ = round_;
  refusals_.clear();
  awaiting_replies_ = false;

  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    if (awaiting_replies_) give_up_uncertain_chunks(records);
    // One reading of the clock for the whole attempt: a record is either
    // dropped as expired or sent with at least 1 ms left.
    const Expiry::Clock::time_point now = Expiry::Clock::now();
    drop_expired(records, now);
    encode(records, now, commands);
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
    awaiting_replies_ = false;  // what came before it was applied whole
    fail_oversized(records, error.reply());
    return true;
  };

  RetryOutcome outcome;
  try {
    outcome = pipeline_.send(*client_, batch);
  } catch (const redis::ServerRefusalError&) {
    throw;  // no retry mends it, and it is about every key, not these
  } catch (const redis::TlsError& error) {
    // The same TLS settings would fail the same way: no retry.
    report_pending(records, error.what(), "");
    throw;
  } catch (const redis::Error& error) {
    // The reconnect was refused (a password no longer accepted): retrying
    // cannot help.
    const redis::Refusal refusal = redis::classify_error_reply(cause_of(error), refusal_context());
    if (refusal.scope == redis::RefusalScope::server)
      throw redis::ServerRefusalError(client_->describe(), refusal);
    report_pending(records, error.what(), "");
    throw;
  }
  if (!outcome.answered()) give_up(records, outcome);
}

void RestoreSink::drop_expired(const RecordBatch& records, Expiry::Clock::time_point now) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (!is_chunk(record) && record.expiry.has_expired(now)) continue;
    pending_[kept] = pending_[i];
    if (i < refusals_.size()) refusals_[kept] = std::move(refusals_[i]);
    ++kept;
  }
  const std::size_t expired = pending_.size() - kept;
  if (expired == 0) return;
  pending_.resize(kept);
  if (refusals_.size() > kept) refusals_.resize(kept);
  // Gone on the source too by now: writing them would only have them expire
  // on the target.
  Metrics::add(host_.metrics().keys_expired, expired);
}

void RestoreSink::encode(const RecordBatch& records, Expiry::Clock::time_point now,
                         redis::KeyedCommands& commands) {
  commands.clear();
  reply_counts_.clear();
  by_restore_.clear();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    std::size_t replies = 1;
    const bool restore_string = strings_by_restore_ && is_whole_string(record);
    if (record.kind == RecordKind::dump) {
      // The payload is referenced, not copied: the records outlive the send,
      // and a value of hundreds of megabytes is then held once.
      append_restore(record, record.payload, Payload::referenced, now, commands);
    } else if (restore_string) {
      append_restore(record, string_dump_payload(record.parts.front()), Payload::copied, now,
                     commands);
    } else {
      // DEL of an erased key (and of its staging key, were it being copied
      // in chunks), or a value's commands.
      replies = values_.append(record, commands);
      if (replies == 0) continue;  // reported already, or a chunk of a key given up on
    }
    pending_[kept] = pending_[i];
    if (i < refusals_.size()) refusals_[kept] = std::move(refusals_[i]);
    reply_counts_.push_back(replies);
    by_restore_.push_back(record.kind == RecordKind::dump || restore_string);
    ++kept;
  }
  pending_.resize(kept);
  if (refusals_.size() > kept) refusals_.resize(kept);
}

void RestoreSink::append_restore(const Record& record, std::string_view payload, Payload held,
                                 Expiry::Clock::time_point now,
                                 redis::KeyedCommands& commands) const {
  // A relative TTL (0: none), never ABSTTL: the target's clock and riot's
  // may disagree, the time left does not (see riot::Expiry).
  std::array<char, 24> ttl_text{};  // holds any int64
  const std::int64_t ttl_ms = record.expiry.is_persistent() ? 0 : record.expiry.remaining_ms(now);
  const auto end = std::to_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), ttl_ms).ptr;
  const std::string_view ttl(ttl_text.data(), static_cast<std::size_t>(end - ttl_text.data()));
  const std::array<std::string_view, 5> args{"RESTORE", record.key, ttl, payload, "REPLACE"};
  const std::size_t count = options_.replace ? 5 : 4;
  if (held == Payload::copied) {
    commands.append(record.key, std::span<const std::string_view>(args.data(), count));
  } else if (options_.replace) {
    commands.append_referencing(record.key, {args[0], args[1], args[2], args[3], args[4]});
  } else {
    commands.append_referencing(record.key, {args[0], args[1], args[2], args[3]});
  }
}

void RestoreSink::write_strings_by_restore(const std::string& refusal) {
  if (strings_by_restore_) return;
  strings_by_restore_ = true;
  host_.logger().info(
      "the target refused SET ({}): strings read by GET are written with RESTORE of a payload "
      "riot makes (grant +set to spare the target the payload's check)",
      refusal);
}

void RestoreSink::give_up_uncertain_chunks(const RecordBatch& records) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (is_chunk(record) && record.chunk.index > 0) {
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

values::WriteJudgement RestoreSink::judge(const Record& record, bool by_restore,
                                          std::span<const redis::Reply> replies) {
  if (!by_restore) return values_.judge(record, replies);
  const redis::Reply& reply = replies.front();
  if (!reply.is_error()) return {};
  // RESTORE without REPLACE of a key the target holds: left alone on purpose.
  if (!options_.replace && reply.str.starts_with("BUSYKEY"))
    return values::WriteJudgement::left_alone();
  return values::WriteJudgement::refused("RESTORE failed: " + reply.str, reply.str);
}

void RestoreSink::settle(const RecordBatch& records, std::vector<redis::Reply>& replies) {
  WriteTally tally;
  std::uint64_t failed = 0;
  std::optional<redis::Refusal> server_refusal;  // the first refusal that stops the run
  still_pending_.clear();
  still_refused_.clear();
  std::size_t next = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    const std::span<const redis::Reply> answers(replies.data() + next, reply_counts_[i]);
    next += reply_counts_[i];
    values::WriteJudgement judgement = judge(record, by_restore_[i], answers);
    if (judgement.verdict == values::WriteJudgement::Verdict::applied) {
      tally.applied(record);
      continue;
    }
    if (judgement.verdict == values::WriteJudgement::Verdict::left_alone) {
      tally.left_alone(record);
      continue;
    }
    // A failure without an error reply is about the key.
    std::string& error_reply = judgement.error_reply;
    const std::string& error = judgement.error;
    redis::Refusal refusal;
    if (!error_reply.empty()) refusal = redis::classify_error_reply(error_reply, refusal_context());
    if (!by_restore_[i] && is_whole_string(record) && refuses_the_command(error_reply)) {
      write_strings_by_restore(error_reply);
      resend_.push_back(pending_[i]);
      continue;
    }
    switch (refusal.scope) {
      case redis::RefusalScope::transient:
        still_pending_.push_back(pending_[i]);
        still_refused_.push_back(std::move(error_reply));
        break;
      case redis::RefusalScope::key:
        ++failed;
        fail(record, error);
        break;
      case redis::RefusalScope::server:
        if (!server_refusal) server_refusal = std::move(refusal);
        break;
    }
  }
  tally.add_to(host_.metrics());
  host_.logger().debug(
      "{} records sent: {} written ({} bytes), {} deleted, {} left alone (on the target "
      "already), {} failed, {} refused for now",
      pending_.size(), tally.written(), tally.bytes(), tally.deleted(), tally.existing(), failed,
      still_pending_.size());
  pending_.swap(still_pending_);
  refusals_.swap(still_refused_);
  // Every other key would be refused the same way: one message says it, not
  // one per key, and the run stops.
  if (server_refusal) throw redis::ServerRefusalError(client_->describe(), *server_refusal);
}

void RestoreSink::fail_oversized(const RecordBatch& records, const std::string& reply) {
  std::size_t largest = 0;
  for (const std::size_t index : pending_)
    largest = std::max(largest, argument_bytes(records[index]));
  const bool aligned = refusals_.size() == pending_.size();
  still_pending_.clear();
  still_refused_.clear();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const std::size_t index = pending_[i];
    const Record& record = records[index];
    if (argument_bytes(record) < largest) {
      still_pending_.push_back(index);
      if (aligned) still_refused_.push_back(std::move(refusals_[i]));
      continue;
    }
    const char* argument = record.key.size() >= largest      ? "its name"
                           : record.kind == RecordKind::dump ? "its DUMP payload"
                                                             : "its value";
    fail(record, command_name(record) + " failed: " + argument + " of " + std::to_string(largest) +
                     " bytes is longer than the target accepts in one argument (" + reply +
                     "): raise proto-max-bulk-len on the target (CONFIG SET proto-max-bulk-len, "
                     "or a parameter group on a managed service), or copy the key in chunks "
                     "(--mem-limit with --mem-limit-policy struct, or --type struct)");
  }
  host_.logger().debug("{}: {} records too large for the target, {} sent again",
                       client_->describe(), pending_.size() - still_pending_.size(),
                       still_pending_.size());
  pending_.swap(still_pending_);
  refusals_.swap(still_refused_);
}

redis::RefusalContext RestoreSink::refusal_context() const {
  return redis::RefusalContext{"target", client_->is_cluster()};
}

void RestoreSink::give_up(const RecordBatch& records, const RetryOutcome& outcome) {
  const std::string connection_failure = outcome.connection_failed ? outcome.failure : "";
  if (outcome.cancelled()) {
    report_pending(records, connection_failure, kStoppedBeforeRetry);
    return;
  }
  const std::string endpoint = client_->describe();
  const std::string keys = describe_keys(pending_.size(), first_pending_keys(records));
  report_pending(records, connection_failure, "");
  if (outcome.connection_failed)
    outcome.throw_gave_up(endpoint, "; not written from this batch: " + keys);
  const bool out_of_memory =
      std::any_of(refusals_.begin(), refusals_.end(),
                  [](const std::string& refusal) { return is_out_of_memory_reply(refusal); });
  if (out_of_memory) {
    throw redis::ReplyError(endpoint, "target full: " + keys + " still refused with OOM " +
                                          outcome.attempts + ": " + refusals_.front());
  }
  throw redis::ReplyError(endpoint,
                          keys + " still refused " + outcome.attempts + ": " + refusals_.front());
}

void RestoreSink::report_pending(const RecordBatch& records, const std::string& connection_failure,
                                 std::string_view suffix) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (!connection_failure.empty()) {
      fail(record, "not written: " + connection_failure + std::string(suffix));
    } else {
      const std::string refusal = i < refusals_.size() ? refusals_[i] : std::string("not written");
      fail(record, command_name(record) + " failed: " + refusal + std::string(suffix));
    }
  }
}

void RestoreSink::fail(const Record& record, const std::string& error) {
  host_.report_failure(record.key, error);
  values_.abandon(record);
}

std::vector<std::string_view> RestoreSink::first_pending_keys(const RecordBatch& records) const {
  std::vector<std::string_view> keys;
  for (std::size_t i = 0; i < pending_.size() && i < kKeysNamed; ++i)
    keys.emplace_back(records[pending_[i]].key);
  return keys;
}

void RestoreSink::discard_staging_keys() {
  const std::vector<std::string> staging = values_.take_discards();
  if (staging.empty()) return;
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    for (const std::string& key : staging) commands.append(key, {"DEL", key});
    return true;
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    for (std::size_t i = 0; i < replies.size() && i < staging.size(); ++i) {
      if (replies[i].is_error())
        host_.logger().warn("staging key \"{}\" left on the target: DEL failed: {}",
                            printable_key(staging[i]), replies[i].str);
    }
    return {};
  };
  std::string failure;
  try {
    const RetryOutcome outcome = pipeline_.send(*client_, batch);
    if (!outcome.answered()) failure = outcome.failure;
  } catch (const redis::Error& error) {
    failure = error.what();
  }
  if (!failure.empty())
    host_.logger().warn("{} staging keys left on the target (\"{}\", ...): {}", staging.size(),
                        printable_key(staging.front()), failure);
}

}  // namespace riot::restore_plugin
