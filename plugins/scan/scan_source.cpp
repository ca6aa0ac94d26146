#include "scan_source.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <span>
#include <string_view>
#include <utility>

#include "riot/redis/errors.hpp"

namespace riot::scan_plugin {

ScanOptions ScanOptions::from_config(const nlohmann::json& config) {
  ScanOptions options;
  options.match = config.value("match", std::string(kDefaultMatch));
  if (auto type = config.find("type"); type != config.end() && !type->is_null()) {
    options.type = type->get<std::string>();
  }
  options.count = config.value("count", kDefaultCount);
  return options;
}

ScanSource::ScanSource(redis::ConnectionOptions connection, ScanOptions options, RetryOptions retry,
                       HostContext& host)
    : connection_(std::move(connection)),
      options_(std::move(options)),
      retry_(retry),
      count_text_(std::to_string(options_.count)),
      host_(host) {
  connection_.connect();
}

std::optional<std::uint64_t> ScanSource::estimate_total() {
  // DBSIZE counts every key of the database: with a MATCH or TYPE filter it
  // is only an upper bound, which still gives progress a sensible scale.
  const std::array<std::string_view, 1> dbsize{"DBSIZE"};
  const std::optional<redis::Reply> size = command_with_retries(dbsize, "DBSIZE");
  if (!size) return std::nullopt;
  if (size->is_error()) throw redis::ReplyError(connection_.describe(), size->str);
  if (!size->is_integer() || size->integer < 0) return std::nullopt;
  return static_cast<std::uint64_t>(size->integer);
}

void ScanSource::run(KeyBatchWriter& out) {
  std::string cursor = "0";
  std::array<std::string_view, 8> args{"SCAN", "", "MATCH", options_.match, "COUNT", count_text_};
  std::size_t argc = 6;
  if (options_.type) {
    args[argc++] = "TYPE";
    args[argc++] = *options_.type;
  }

  std::uint64_t pages = 0;
  std::uint64_t keys_emitted = 0;
  do {
    if (host_.cancellation().cancelled()) break;
    args[1] = cursor;
    // A retry resumes from the same cursor: the page it stands for was not
    // received.
    std::optional<redis::Reply> answer = command_with_retries(
        std::span<const std::string_view>(args.data(), argc),
        "SCAN from cursor " + cursor + ", " + std::to_string(keys_emitted) + " keys emitted");
    if (!answer) break;
    redis::Reply& reply = *answer;
    if (reply.is_error()) {
      throw redis::ReplyError(connection_.describe(), "SCAN failed: " + reply.str);
    }
    if (!reply.is_array() || reply.elements.size() != 2 || !reply.elements[1].is_array()) {
      throw redis::ReplyError(connection_.describe(), "SCAN returned an unexpected reply");
    }
    cursor = std::move(reply.elements[0].str);
    ++pages;

    // With a filter most pages can be empty: there is nothing to pass on.
    if (reply.elements[1].elements.empty()) continue;
    KeyBatch batch = to_batch(reply.elements[1]);
    const std::size_t size = batch.size();
    Metrics::add(host_.metrics().keys_scanned, size);
    keys_emitted += size;
    host_.logger().debug("source.scan: page {} brought {} keys (cursor {})", pages, size, cursor);
    if (!out.push(std::move(batch))) break;
  } while (cursor != "0");

  host_.logger().debug("source.scan: {} after {} pages, {} keys emitted",
                       cursor == "0" ? "finished" : "stopped", pages, keys_emitted);
}

std::optional<redis::Reply> ScanSource::command_with_retries(std::span<const std::string_view> args,
                                                             const std::string& what) {
  RetryBudget budget(retry_, host_.cancellation());
  for (;;) {
    std::string cause;  // why the attempt failed (the endpoint aside)
    bool connection_failed = false;
    try {
      // A failed attempt left the connection closed: this reconnects first.
      redis::Reply reply = connection_.command(args);
      if (!reply.is_error() || !is_transient_error_reply(reply.str)) return reply;
      cause = what + " refused: " + reply.str;
    } catch (const redis::TlsError&) {
      throw;  // the same TLS settings would fail the same way: no retry
    } catch (const redis::IoError& error) {
      cause = cause_of(error) + " (" + what + ")";
      connection_failed = true;
    }
    switch (budget.after_failure(host_.logger(), "source.scan",
                                 connection_.describe() + ": " + cause)) {
      case RetryVerdict::retry:
        continue;
      case RetryVerdict::cancelled:
        return std::nullopt;
      case RetryVerdict::exhausted: {
        const std::string message = cause + "; gave up " + budget.describe_attempts();
        if (connection_failed) throw redis::IoError(connection_.describe(), message);
        throw redis::ReplyError(connection_.describe(), message);
      }
    }
  }
}

KeyBatch ScanSource::to_batch(redis::Reply& keys) const {
  const int db = connection_.options().uri.db;
  KeyBatch batch;
  batch.reserve(keys.elements.size());
  for (redis::Reply& key : keys.elements) {
    KeyEvent& event = batch.emplace_back();
    event.key = std::move(key.str);
    event.db = db;
    event.origin = KeyOrigin::scan;
    event.event = KeyEventType::set;
  }
  return batch;
}

}  // namespace riot::scan_plugin
