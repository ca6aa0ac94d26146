#include "dump_reader.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>
#include <utility>

#include "riot/redis/errors.hpp"

namespace riot::dump_plugin {
namespace {

// PTTL's answers for a key without expiry and for a key that does not exist.
constexpr std::int64_t kPttlPersistent = -1;
constexpr std::int64_t kPttlMissing = -2;

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

// The commands sent for each key, in order; TYPE only with read_type.
enum Command : std::size_t { kDump, kPttl, kType };
constexpr const char* kCommandNames[] = {"DUMP", "PTTL", "TYPE"};

bool is_expected_reply(std::size_t command, const redis::Reply& reply) {
  switch (command) {
    case kDump:
      return reply.is_string() || reply.is_nil();
    case kPttl:
      return reply.is_integer();
    default:
      return reply.is_status() || reply.is_string();
  }
}

}  // namespace

DumpOptions DumpOptions::from_config(const nlohmann::json& config) {
  DumpOptions options;
  options.read_type = config.value("read_type", false);
  options.erase_missing = config.value("erase_missing", false);
  if (const auto type = config.find("type"); type != config.end()) {
    options.only_type = type->get<std::string>();
    options.read_type = true;  // the filter needs each key's type
  }
  return options;
}

DumpReader::DumpReader(redis::ClientOptions client, DumpOptions options, RetryOptions retry,
                       HostContext& host)
    : expensive_keys_(client.connection.command_timeout),
      client_(redis::Client::open(std::move(client))),
      options_(options),
      retry_(retry),
      host_(host) {
  commands_.track_slots(client_->is_cluster());
}

void DumpReader::read(KeyBatch& keys, RecordBatch& out) {
  if (keys.empty()) return;
  encode(keys);
  const std::optional<Expiry::Clock::time_point> sent_at = fetch_with_retries(keys);
  if (!sent_at) return;
  check_replies(keys);

  // DUMP and PTTL are two commands, not an atomic pair: a key that vanishes or
  // appears between them is treated as gone (live mode gets an event for it).
  // A key of another type than the one wanted counts as gone too: on the
  // target, only keys of that type are kept.
  const std::size_t stride = commands_per_key();
  std::uint64_t skipped = 0;
  std::uint64_t erased = 0;
  std::uint64_t bytes = 0;
  out.reserve(out.size() + keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& dump = replies_[i * stride + kDump];
    const std::int64_t pttl = replies_[i * stride + kPttl].integer;
    const bool gone =
        dump.is_nil() || pttl == kPttlMissing ||
        (options_.only_type && replies_[i * stride + kType].str != *options_.only_type);
    if (gone && !options_.erase_missing) {
      ++skipped;
      continue;
    }
    Record& record = out.emplace_back();
    record.take_event_context(keys[i]);
    if (gone) {
      record.kind = RecordKind::erase;
      ++erased;
      continue;
    }
    record.kind = RecordKind::dump;
    record.payload = std::move(dump.str);
    if (pttl != kPttlPersistent) record.expiry = Expiry::after(pttl, *sent_at);
    if (options_.read_type) record.type = std::move(replies_[i * stride + kType].str);
    bytes += record.payload.size();
  }

  const std::uint64_t read = keys.size() - skipped - erased;
  Metrics& metrics = host_.metrics();
  Metrics::add(metrics.keys_read, read);
  Metrics::add(metrics.bytes_read, bytes);
  if (skipped > 0) Metrics::add(metrics.keys_skipped, skipped);
  host_.logger().debug("codec.dump: batch of {} keys: {} read ({} bytes), {} gone ({} to erase)",
                       keys.size(), read, bytes, skipped + erased, erased);
}

void DumpReader::encode(const KeyBatch& keys) {
  commands_.clear();
  for (const KeyEvent& event : keys) {
    commands_.append(event.key, {"DUMP", event.key});
    commands_.append(event.key, {"PTTL", event.key});
    if (options_.read_type) commands_.append(event.key, {"TYPE", event.key});
  }
}

std::optional<Expiry::Clock::time_point> DumpReader::fetch_with_retries(KeyBatch& keys) {
  RetryBudget budget(retry_, host_.cancellation());
  int timeouts = 0;                  // of this batch's DUMP pipeline
  bool size_before_sending = false;  // a DUMP timeout not explained yet
  for (;;) {
    std::string cause;  // why the attempt failed (the endpoint aside)
    bool connection_failed = false;
    try {
      if (size_before_sending) {
        // Never DUMP again to find out: the sizing costs the source nothing.
        spare_expensive_keys(keys, timeouts);
        size_before_sending = false;
        if (keys.empty()) {
          replies_.clear();
          return Expiry::Clock::now();
        }
      }
      // Taken before sending: a TTL the server reports is then never
      // stretched by the round trip's duration.
      const Expiry::Clock::time_point sent_at = Expiry::Clock::now();
      replies_.clear();
      // A failed attempt left the connection closed: this reconnects first
      // (on a cluster, from a fresh topology).
      client_->pipeline(commands_, replies_);
      const std::string refusal = transient_refusal();
      if (refusal.empty()) return sent_at;
      cause = "DUMP refused: " + refusal;
    } catch (const redis::TlsError& error) {
      // The same TLS settings would fail the same way: no retry.
      report_batch(keys, error.what());
      throw;
    } catch (const redis::TimeoutError& error) {
      cause = cause_of(error);
      connection_failed = true;
      if (size_before_sending) {
        cause = "sizing the keys of a batch whose DUMP timed out: " + cause;
      } else {
        ++timeouts;
        size_before_sending = true;
      }
    } catch (const redis::IoError& error) {
      cause = cause_of(error);
      connection_failed = true;
    } catch (const redis::Error& error) {
      // The reconnect was refused (a password no longer accepted).
      report_batch(keys, error.what());
      throw;
    }
    const std::string failure = client_->describe() + ": " + cause;
    switch (budget.after_failure(host_.logger(), "codec.dump", failure)) {
      case RetryVerdict::retry:
        continue;
      case RetryVerdict::cancelled:
        report_batch(keys, failure + " (the run stopped before the next retry)");
        return std::nullopt;
      case RetryVerdict::exhausted:
        report_batch(keys, failure);
        give_up(keys, budget, cause, connection_failed);
    }
  }
}

void DumpReader::spare_expensive_keys(KeyBatch& keys, int timeouts) {
  const std::vector<KeySize> sizes = measure_key_sizes(*client_, keys);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (expensive_keys_.is_expensive(sizes[i], timeouts)) {
      host_.report_failure(keys[i].key,
                           "not read: " + expensive_keys_.explain("DUMP", keys[i].key, sizes[i]));
      continue;
    }
    if (kept != i) keys[kept] = std::move(keys[i]);
    ++kept;
  }
  if (kept == keys.size()) {
    host_.logger().debug(
        "codec.dump: no key of the batch of {} that timed out reaches {} bytes: the source is "
        "slow or unreachable, the batch is sent again",
        keys.size(), expensive_keys_.threshold_bytes(timeouts));
    return;
  }
  keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(kept), keys.end());
  encode(keys);
}

void DumpReader::give_up(const KeyBatch& keys, const RetryBudget& budget, const std::string& cause,
                         bool connection_failed) const {
  std::vector<std::string_view> first;
  for (std::size_t i = 0; i < keys.size() && i < kKeysNamed; ++i) first.emplace_back(keys[i].key);
  const std::string message = cause + "; gave up " + budget.describe_attempts() +
                              "; not read from this batch: " + describe_keys(keys.size(), first);
  if (connection_failed) throw redis::IoError(client_->describe(), message);
  throw redis::ReplyError(client_->describe(), message);
}

std::string DumpReader::transient_refusal() const {
  for (const redis::Reply& reply : replies_) {
    if (reply.is_error() && is_transient_error_reply(reply.str)) return reply.str;
  }
  return {};
}

void DumpReader::report_batch(const KeyBatch& keys, const std::string& error) {
  for (const KeyEvent& event : keys) host_.report_failure(event.key, "not read: " + error);
}

// Runs before any key is moved, so that a throw leaves the batch intact.
void DumpReader::check_replies(const KeyBatch& keys) const {
  const std::size_t stride = commands_per_key();
  if (replies_.size() != keys.size() * stride) {
    throw redis::ProtocolError(client_->describe(), "expected " +
                                                        std::to_string(keys.size() * stride) +
                                                        " replies to the DUMP pipeline, got " +
                                                        std::to_string(replies_.size()));
  }
  for (std::size_t i = 0; i < replies_.size(); ++i) {
    const redis::Reply& reply = replies_[i];
    const std::size_t command = i % stride;
    if (is_expected_reply(command, reply)) continue;
    if (reply.is_error()) {
      // A refusal about the source, not this key (a user without DUMP): the
      // same for every key, so the run stops with one message saying so.
      const redis::Refusal refusal =
          redis::classify_error_reply(reply.str, {"source", client_->is_cluster()});
      if (refusal.scope == redis::RefusalScope::server)
        throw redis::ServerRefusalError(client_->describe(), refusal);
    }
    const std::string what =
        reply.is_error() ? reply.str
                         : "unexpected " + std::string(redis::to_string(reply.type)) + " reply";
    throw redis::ReplyError(client_->describe(), std::string(kCommandNames[command]) + " \"" +
                                                     printable_key(keys[i / stride].key) +
                                                     "\" failed: " + what);
  }
}

}  // namespace riot::dump_plugin
