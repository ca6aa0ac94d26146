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
      retry_(retry),
      host_(host) {
  commands_.track_slots(client_->is_cluster());
}

void RestoreSink::write(RecordBatch& records) {
  if (records.empty()) return;
  pending_.resize(records.size());
  std::iota(pending_.begin(), pending_.end(), std::size_t{0});
  refusals_.clear();
  RetryBudget budget(retry_, host_.cancellation());
  for (;;) {
    // One reading of the clock for the whole attempt: a record is either
    // dropped as expired or sent with at least 1 ms left.
    const Expiry::Clock::time_point now = Expiry::Clock::now();
    drop_expired(records, now);
    if (pending_.empty()) return;
    encode(records, now);
    std::string cause;  // why the attempt left records pending (the endpoint aside)
    bool connection_failed = false;
    try {
      replies_.clear();
      // A failed attempt left the connection closed: this reconnects first
      // (on a cluster, from a fresh topology).
      client_->pipeline(commands_, replies_);
      settle(records);
      if (pending_.empty()) return;
      cause = describe_keys(pending_.size(), first_pending_keys(records)) +
              " refused: " + refusals_.front();
    } catch (const redis::ServerRefusalError&) {
      throw;  // no retry mends it, and it is about every key, not these
    } catch (const redis::TlsError& error) {
      // The same TLS settings would fail the same way: no retry.
      report_pending(records, error.what(), "");
      throw;
    } catch (const redis::RequestRejectedError& error) {
      if (redis::is_oversized_argument_reply(error.reply())) {
        // Not a retry: the records too large for the target are out of the
        // batch, so the next attempt has fewer.
        fail_oversized(records, error.reply());
        if (pending_.empty()) return;
        continue;
      }
      cause = cause_of(error);
      connection_failed = true;
    } catch (const redis::IoError& error) {
      // Lost, timed out or garbled: which commands the server applied is
      // unknown, so every pending record is re-sent.
      cause = cause_of(error);
      connection_failed = true;
    } catch (const redis::Error& error) {
      // The reconnect was refused (a password no longer accepted): retrying
      // cannot help.
      const redis::Refusal refusal =
          redis::classify_error_reply(cause_of(error), refusal_context());
      if (refusal.scope == redis::RefusalScope::server)
        throw redis::ServerRefusalError(client_->describe(), refusal);
      report_pending(records, error.what(), "");
      throw;
    }
    const RetryVerdict verdict =
        budget.after_failure(host_.logger(), "sink.restore", client_->describe() + ": " + cause);
    if (verdict == RetryVerdict::retry) continue;
    give_up(records, verdict, budget, cause, connection_failed);
    return;
  }
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

void RestoreSink::encode(const RecordBatch& records, Expiry::Clock::time_point now) {
  commands_.clear();
  std::array<char, 24> ttl_text{};  // holds any int64
  for (const std::size_t index : pending_) {
    const Record& record = records[index];
    if (record.kind == RecordKind::erase) {
      commands_.append(record.key, {"DEL", record.key});
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
      commands_.append_referencing(record.key,
                                   {"RESTORE", record.key, ttl, record.payload, "REPLACE"});
    } else {
      commands_.append_referencing(record.key, {"RESTORE", record.key, ttl, record.payload});
    }
  }
}

void RestoreSink::settle(const RecordBatch& records) {
  WriteTally tally;
  std::uint64_t failed = 0;
  std::optional<redis::Refusal> server_refusal;  // the first refusal that stops the run
  still_pending_.clear();
  still_refused_.clear();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    redis::Reply& reply = replies_[i];
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
      "sink.restore: {} records sent: {} written ({} bytes), {} deleted, {} failed, {} refused "
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
  host_.logger().debug("sink.restore: {}: {} records too large for the target, {} sent again",
                       client_->describe(), pending_.size() - still_pending_.size(),
                       still_pending_.size());
  pending_.swap(still_pending_);
  refusals_.swap(still_refused_);
}

redis::RefusalContext RestoreSink::refusal_context() const {
  return redis::RefusalContext{"target", client_->is_cluster()};
}

void RestoreSink::give_up(const RecordBatch& records, RetryVerdict verdict,
                          const RetryBudget& budget, const std::string& cause,
                          bool connection_failed) {
  const std::string endpoint = client_->describe();
  const std::string connection_failure = connection_failed ? endpoint + ": " + cause : "";
  if (verdict == RetryVerdict::cancelled) {
    report_pending(records, connection_failure, " (the run stopped before the next retry)");
    return;
  }
  const std::string keys = describe_keys(pending_.size(), first_pending_keys(records));
  report_pending(records, connection_failure, "");
  if (connection_failed) {
    throw redis::IoError(endpoint, cause + "; gave up " + budget.describe_attempts() +
                                       "; not written from this batch: " + keys);
  }
  const bool out_of_memory =
      std::any_of(refusals_.begin(), refusals_.end(),
                  [](const std::string& refusal) { return is_out_of_memory_reply(refusal); });
  if (out_of_memory) {
    throw redis::ReplyError(endpoint, "target full: " + keys + " still refused with OOM " +
                                          budget.describe_attempts() + ": " + refusals_.front());
  }
  throw redis::ReplyError(
      endpoint, keys + " still refused " + budget.describe_attempts() + ": " + refusals_.front());
}

void RestoreSink::report_pending(const RecordBatch& records, const std::string& connection_failure,
                                 const char* suffix) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Record& record = records[pending_[i]];
    if (!connection_failure.empty()) {
      host_.report_failure(record.key, "not written: " + connection_failure + suffix);
    } else {
      host_.report_failure(record.key,
                           std::string(command_name(record)) + " failed: " + refusals_[i] + suffix);
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
