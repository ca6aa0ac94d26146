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
      pipeline_(retry, host),
      host_(host) {}

void DumpReader::read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& /*early*/) {
  if (keys.empty()) return;
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
  host_.logger().debug("batch of {} keys: {} read ({} bytes), {} gone ({} to erase)", keys.size(),
                       read, bytes, skipped + erased, erased);
}

void DumpReader::encode(const KeyBatch& keys, redis::KeyedCommands& commands) const {
  commands.clear();
  for (const KeyEvent& event : keys) {
    commands.append(event.key, {"DUMP", event.key});
    commands.append(event.key, {"PTTL", event.key});
    if (options_.read_type) commands.append(event.key, {"TYPE", event.key});
  }
}

std::optional<Expiry::Clock::time_point> DumpReader::fetch_with_retries(KeyBatch& keys) {
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    encode(keys, commands);
    return !keys.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>& replies) -> std::string {
    // Reading is harmless to repeat: a refusal sends the whole batch again.
    replies_.swap(replies);
    const std::string refusal = transient_refusal();
    return refusal.empty() ? refusal : "DUMP refused: " + refusal;
  };
  // Never DUMP again to find out: the sizing costs the source nothing.
  batch.on_timeout = [&](int timeouts) { spare_expensive_keys(keys, timeouts); };

  RetryOutcome outcome;
  try {
    replies_.clear();
    outcome = pipeline_.send(*client_, batch);
  } catch (const redis::Error& error) {
    // TLS refused, or the reconnect was refused (a password no longer
    // accepted): no retry mends it.
    report_batch(keys, error.what());
    throw;
  }
  switch (outcome.status) {
    case RetryOutcome::Status::answered:
      return outcome.sent_at;
    case RetryOutcome::Status::cancelled:
      report_batch(keys, outcome.failure + std::string(kStoppedBeforeRetry));
      return std::nullopt;
    case RetryOutcome::Status::exhausted:
      break;
  }
  report_batch(keys, outcome.failure);
  std::vector<std::string_view> first;
  for (std::size_t i = 0; i < keys.size() && i < kKeysNamed; ++i) first.emplace_back(keys[i].key);
  outcome.throw_gave_up(client_->describe(),
                        "; not read from this batch: " + describe_keys(keys.size(), first));
}

void DumpReader::spare_expensive_keys(KeyBatch& keys, int timeouts) {
  std::vector<KeySize> sizes;
  try {
    sizes = measure_key_sizes(*client_, keys);
  } catch (const redis::TimeoutError& error) {
    throw redis::TimeoutError(
        error.endpoint(), "sizing the keys of a batch whose DUMP timed out: " + cause_of(error));
  }
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
        "no key of the batch of {} that timed out reaches {} bytes: the source is "
        "slow or unreachable, the batch is sent again",
        keys.size(), expensive_keys_.threshold_bytes(timeouts));
    return;
  }
  keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(kept), keys.end());
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
