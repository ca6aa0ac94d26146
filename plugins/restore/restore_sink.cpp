#include "restore_sink.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <string>
#include <utility>

#include "riot/redis/errors.hpp"
#include "riot/write_tally.hpp"

namespace riot::restore_plugin {

RestoreOptions RestoreOptions::from_config(const nlohmann::json& config) {
  RestoreOptions options;
  options.replace = config.value("replace", true);
  return options;
}

RestoreSink::RestoreSink(redis::ConnectionOptions connection, RestoreOptions options,
                         RetryPolicy retry, HostContext& host)
    : connection_(std::move(connection)), options_(options), retry_(retry), host_(host) {
  connection_.connect();
}

void RestoreSink::write(RecordBatch& records) {
  if (records.empty()) return;
  encode(records);
  try {
    send_with_retries(records.size());
  } catch (const redis::Error& error) {
    // Out of attempts (or the reconnect was refused, e.g. by AUTH). Whatever
    // some attempt got a reply for is settled; the rest may or may not have
    // been applied, so it is reported as failed, never dropped.
    apply_replies(records, acknowledged_);
    const std::string message = std::string("not acknowledged by the target: ") + error.what();
    for (std::size_t i = acknowledged_.size(); i < records.size(); ++i) {
      host_.report_failure(records[i].key, message);
    }
    throw;
  }
  apply_replies(records, replies_);
}

void RestoreSink::encode(const RecordBatch& records) {
  commands_.clear();
  std::array<char, 24> ttl_text{};  // holds any int64
  for (const Record& record : records) {
    if (record.kind == RecordKind::erase) {
      commands_.append({"DEL", record.key});
      continue;
    }
    // With ABSTTL the TTL is the absolute expiry (0: none); Redis skips a key
    // whose expiry has already passed.
    const auto end =
        std::to_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), record.expire_at_ms).ptr;
    const std::string_view ttl(ttl_text.data(), static_cast<std::size_t>(end - ttl_text.data()));
    if (options_.replace) {
      commands_.append({"RESTORE", record.key, ttl, record.payload, "REPLACE", "ABSTTL"});
    } else {
      commands_.append({"RESTORE", record.key, ttl, record.payload, "ABSTTL"});
    }
  }
}

void RestoreSink::send_with_retries(std::size_t batch_size) {
  acknowledged_.clear();
  for (int attempt = 1;; ++attempt) {
    replies_.clear();
    try {
      // A failed attempt left the connection closed.
      if (!connection_.is_connected()) connection_.connect();
      connection_.pipeline(commands_, replies_);
      return;
    } catch (const redis::IoError& error) {
      remember_acknowledged();
      if (!retry_.allows_another_attempt(attempt)) throw;
      // Re-sending the whole batch is safe: RESTORE ... REPLACE and DEL give
      // the same result applied twice.
      host_.logger().warn("sink.restore: {}; reconnecting to re-send a batch of {} records",
                          error.what(), batch_size);
    }
  }
}

// Each attempt re-sends the whole batch, so the latest reply for a command
// supersedes an earlier one, but an earlier attempt may have got further.
void RestoreSink::remember_acknowledged() {
  if (replies_.size() >= acknowledged_.size()) {
    std::swap(replies_, acknowledged_);
    return;
  }
  for (std::size_t i = 0; i < replies_.size(); ++i) acknowledged_[i] = std::move(replies_[i]);
}

void RestoreSink::apply_replies(const RecordBatch& records, std::span<const redis::Reply> replies) {
  WriteTally tally;
  std::uint64_t failed = 0;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const Record& record = records[i];
    if (replies[i].is_error()) {
      ++failed;
      const char* command = record.kind == RecordKind::erase ? "DEL" : "RESTORE";
      host_.report_failure(record.key, std::string(command) + " failed: " + replies[i].str);
    } else {
      tally.applied(record);
    }
  }
  tally.add_to(host_.metrics());
  host_.logger().debug(
      "sink.restore: {}/{} acknowledged: {} written ({} bytes), {} deleted, {} failed",
      replies.size(), records.size(), tally.written(), tally.bytes(), tally.deleted(), failed);
}

}  // namespace riot::restore_plugin
