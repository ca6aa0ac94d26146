#include "restore_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "riot/redis/errors.hpp"
#include "riot/write_tally.hpp"

namespace riot::restore_plugin {
namespace {

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

const char* command_name(const Record& record) {
  return record.kind == RecordKind::erase ? "DEL" : "RESTORE";
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
      host_(host) {}

void RestoreSink::write(RecordBatch& records) {
  if (records.empty()) return;
  pending_.resize(records.size());
  std::iota(pending_.begin(), pending_.end(), std::size_t{0});
  refusals_.clear();

  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    // One reading of the clock for the whole attempt: a record is either
    // dropped as expired or sent with at least 1 ms left.
    const Expiry::Clock::time_point now = Expiry::Clock::now();
    drop_expired(records, now);
    encode(records, now, commands);
    return !pending_.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    settle(records, replies);
    if (pending_.empty()) return {};
    return describe_keys(pending_.size(), first_pending_keys(records)) +
           " refused: " + refusals_.front();
  };
  batch.on_rejected = [&](const redis::RequestRejectedError& error) {
    if (!redis::is_oversized_argument_reply(error.reply())) return false;
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
    if (records[pending_[i]].expiry.has_expired(now)) continue;
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
                         redis::KeyedCommands& commands) const {
  commands.clear();
  std::array<char, 24> ttl_text{};  // holds any int64
  for (const std::size_t index : pending_) {
    const Record& record = records[index];
    if (record.kind == RecordKind::erase) {
      commands.append(record.key, {"DEL", record.key});
      continue;
    }
    // A relative TTL (0: none), never ABSTTL: the target's clock and riot's
    // may disagree, the time left does not (see riot::Expiry).
    const std::int64_t ttl_ms = record.expiry.is_persistent() ? 0 : record.expiry.remaining_ms(now);
    const auto end = std::to_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), ttl_ms).ptr;
    const std::string_view ttl(ttl_text.data(), static_cast<std::size_t>(end - ttl_text.data()));
    // The payload is referenced, not copied: the records outlive the send,
    // and a value of hundreds of megabytes is then held once.
    if (options_.replace) {
      commands.append_referencing(record.key,
                                  {"RESTORE", record.key, ttl, record.payload, "REPLACE"});
    } else {
      commands.append_referencing(record.key, {"RESTORE", record.key, ttl, record.payload});
    }
  }
}

void RestoreSink::settle(const RecordBatch& records, std::vector<redis::Reply>& replies) {
  WriteTally tally;
  std::uint64_t failed = 0;
  std::optional<redis::Refusal> server_refusal;  // the first refusal that stops the run
  still_pending_.clear();
  still_refused_.clear();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    redis::Reply& reply = replies[i];
    if (!reply.is_error()) {
      tally.applied(record);
      continue;
    }
    redis::Refusal refusal = redis::classify_error_reply(reply.str, refusal_context());
    switch (refusal.scope) {
      case redis::RefusalScope::transient:
        still_pending_.push_back(pending_[i]);
        still_refused_.push_back(std::move(reply.str));
        break;
      case redis::RefusalScope::key:
        ++failed;
        host_.report_failure(record.key,
                             std::string(command_name(record)) + " failed: " + reply.str);
        break;
      case redis::RefusalScope::server:
        if (!server_refusal) server_refusal = std::move(refusal);
        break;
    }
  }
  tally.add_to(host_.metrics());
  host_.logger().debug(
      "{} records sent: {} written ({} bytes), {} deleted, {} failed, {} refused "
      "for now",
      pending_.size(), tally.written(), tally.bytes(), tally.deleted(), failed,
      still_pending_.size());
  pending_.swap(still_pending_);
  refusals_.swap(still_refused_);
  // Every other key would be refused the same way: one message says it, not
  // one per key, and the run stops.
  if (server_refusal) throw redis::ServerRefusalError(client_->describe(), *server_refusal);
}

void RestoreSink::fail_oversized(const RecordBatch& records, const std::string& reply) {
  const auto argument_bytes = [&records](std::size_t index) {
    const Record& record = records[index];
    return std::max(record.key.size(), record.payload.size());
  };
  std::size_t largest = 0;
  for (const std::size_t index : pending_) largest = std::max(largest, argument_bytes(index));
  const bool aligned = refusals_.size() == pending_.size();
  still_pending_.clear();
  still_refused_.clear();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const std::size_t index = pending_[i];
    if (argument_bytes(index) < largest) {
      still_pending_.push_back(index);
      if (aligned) still_refused_.push_back(std::move(refusals_[i]));
      continue;
    }
    const Record& record = records[index];
    const char* argument =
        record.payload.size() >= record.key.size() ? "its DUMP payload" : "its name";
    host_.report_failure(
        record.key,
        std::string(command_name(record)) + " failed: " + argument + " of " +
            std::to_string(argument_bytes(index)) +
            " bytes is longer than the target accepts in one argument (" + reply +
            "): raise proto-max-bulk-len on the target (CONFIG SET proto-max-bulk-len, or a "
            "parameter group on a managed service), or copy the key by type (--type struct, "
            "when available)");
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
      host_.report_failure(record.key, "not written: " + connection_failure + std::string(suffix));
    } else {
      host_.report_failure(record.key, std::string(command_name(record)) +
                                           " failed: " + refusals_[i] + std::string(suffix));
    }
  }
}

std::vector<std::string_view> RestoreSink::first_pending_keys(const RecordBatch& records) const {
  std::vector<std::string_view> keys;
  for (std::size_t i = 0; i < pending_.size() && i < kKeysNamed; ++i)
    keys.emplace_back(records[pending_[i]].key);
  return keys;
}

}  // namespace riot::restore_plugin
