#include "dump_reader.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "riot/redis/errors.hpp"

namespace riot::dump_plugin {
namespace {

// PTTL's answers for a key without expiry and for a key that does not exist.
constexpr std::int64_t kPttlPersistent = -1;
constexpr std::int64_t kPttlMissing = -2;

// How many keys a give-up message names.
constexpr std::size_t kKeysNamed = 3;

// The commands sent for each key, in order: the value's (GET or DUMP), PTTL,
// and TYPE with read_type.
enum Command : std::size_t { kValue, kPttl, kType };

bool is_wrong_type(const redis::Reply& reply) {
  return reply.is_error() && std::string_view(reply.str).starts_with("WRONGTYPE");
}

const char* value_command_name(bool by_get) {
  return by_get ? "GET" : "DUMP";
}

}  // namespace

DumpReader::DumpReader(redis::ClientOptions client, DumpOptions options, RetryOptions retry,
                       HostContext& host)
    : expensive_keys_(client.connection.command_timeout),
      client_(redis::Client::open(std::move(client))),
      options_(std::move(options)),
      pipeline_(retry, host),
      host_(host),
      skipped_big_keys_(options_.mem_limit_bytes, host) {
  if (options_.mem_limit_bytes > 0 && options_.over_limit == OverLimit::by_type) {
    values::ValueReadOptions chunked;
    chunked.memory_samples = options_.memory_samples;
    chunked.chunk_bytes = options_.chunk_bytes;
    chunked.erase_missing = options_.erase_missing;
    chunked.only_type = options_.only_type;
    values_.emplace(*client_, pipeline_, std::move(chunked), host);
  }
}

void DumpReader::read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) {
  if (keys.empty()) return;
  const std::size_t batch = keys.size();
  plan_.assign(keys.size(), options_.reads_strings_by_value() ? ReadBy::get : ReadBy::dump);
  if (options_.mem_limit_bytes > 0 && !set_aside_big_keys(keys, out, early)) return;

  Tally tally;
  not_strings_.clear();
  if (!read_round(keys, out, not_strings_, tally)) return;
  if (!not_strings_.empty()) {
    // The second round of the batch: the keys GET found to be no strings.
    plan_.assign(not_strings_.size(), ReadBy::dump);
    KeyBatch none;
    if (!read_round(not_strings_, out, none, tally)) return;
  }

  Metrics& metrics = host_.metrics();
  Metrics::add(metrics.keys_read, tally.read);
  Metrics::add(metrics.bytes_read, tally.bytes);
  const std::uint64_t skipped = tally.gone - tally.erased;
  if (skipped > 0) Metrics::add(metrics.keys_skipped, skipped);
  host_.logger().debug("batch of {} keys: {} read ({} bytes), {} gone ({} to erase), {} by DUMP",
                       batch, tally.read, tally.bytes, tally.gone, tally.erased,
                       not_strings_.size());
}

bool DumpReader::set_aside_big_keys(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) {
  if (!accept_outcome(keys,
                      probe_keys(*client_, pipeline_, keys, options_.memory_samples, probes_)))
    return false;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyProbe& probe = probes_[i];
    const bool wanted = !options_.only_type || probe.type == *options_.only_type;
    const bool big = probe.size.estimated_bytes() > options_.mem_limit_bytes;
    if (!probe.gone() && wanted && big) {
      if (options_.over_limit == OverLimit::skip) {
        skipped_big_keys_.skip(keys[i].key, probe.size);
        continue;
      }
      if (read_in_chunks(keys[i], probe, out, early)) continue;
    }
    // Its type known, a key is read by the command that reads it.
    const bool by_get =
        options_.reads_strings_by_value() && (probe.type == "string" || probe.gone());
    plan_[kept] = by_get ? ReadBy::get : ReadBy::dump;
    if (kept != i) keys[kept] = std::move(keys[i]);
    ++kept;
  }
  keys.resize(kept);
  plan_.resize(kept);
  skipped_big_keys_.end_batch();
  return !host_.cancellation().cancelled();
}

bool DumpReader::read_in_chunks(const KeyEvent& event, const KeyProbe& probe, RecordBatch& out,
                                RecordBatchWriter& early) {
  // A type no datatype serves (a module's) goes whole, as DUMP can send it.
  if (host_.datatype(probe.type) == nullptr) return false;
  KeyEvent chunked = event;  // kept intact for the whole read should this fail
  return values_->read_in_chunks(chunked, probe.type, probe.expiry(), out, early);
}

bool DumpReader::read_round(KeyBatch& keys, RecordBatch& out, KeyBatch& not_strings, Tally& tally) {
  if (keys.empty()) return true;
  const std::optional<Expiry::Clock::time_point> sent_at = fetch_with_retries(keys);
  if (!sent_at) return false;
  check_replies(keys);

  // The value and PTTL are two commands, not an atomic pair: a key that
  // vanishes or appears between them is treated as gone (live mode gets an
  // event for it). A key of another type than the one wanted counts as gone
  // too: on the target, only keys of that type are kept.
  const std::size_t stride = commands_per_key();
  out.reserve(out.size() + keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& value = replies_[i * stride + kValue];
    const std::int64_t pttl = replies_[i * stride + kPttl].integer;
    const bool by_get = plan_[i] == ReadBy::get;
    if (by_get && value.is_error() && !is_wrong_type(value)) {
      // GET refused to the user or renamed away (check_replies let only
      // that through): DUMP reads it, and every key from now on.
      read_strings_by_dump(value.str);
      not_strings.push_back(std::move(keys[i]));
      continue;
    }
    const bool no_string = by_get && is_wrong_type(value);
    if (no_string && !options_.only_type) {
      not_strings.push_back(std::move(keys[i]));
      continue;
    }
    const bool gone =
        no_string || value.is_nil() || pttl == kPttlMissing ||
        (options_.only_type && replies_[i * stride + kType].str != *options_.only_type);
    if (gone) {
      ++tally.gone;
      if (!options_.erase_missing) continue;
    }
    Record& record = out.emplace_back();
    record.take_event_context(keys[i]);
    if (gone) {
      record.kind = RecordKind::erase;
      ++tally.erased;
      continue;
    }
    if (pttl != kPttlPersistent) record.expiry = Expiry::after(pttl, *sent_at);
    tally.bytes += value.str.size();
    ++tally.read;
    if (by_get) {
      record.kind = RecordKind::value;
      record.type = "string";
      record.parts.push_back(std::move(value.str));
      continue;
    }
    record.kind = RecordKind::dump;
    record.payload = std::move(value.str);
    if (options_.read_type) record.type = std::move(replies_[i * stride + kType].str);
  }
  return true;
}

bool DumpReader::refuses_the_command(const std::string& reply) const {
  return redis::classify_error_reply(reply, {"source", client_->is_cluster()}).scope ==
         redis::RefusalScope::server;
}

void DumpReader::read_strings_by_dump(const std::string& refusal) {
  if (!options_.string_fast_path) return;
  options_.string_fast_path = false;
  host_.logger().info("the source refused GET ({}): strings are read with DUMP", refusal);
}

void DumpReader::encode(const KeyBatch& keys, redis::KeyedCommands& commands) const {
  commands.clear();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i].key;
    commands.append(key, {value_command_name(plan_[i] == ReadBy::get), key});
    commands.append(key, {"PTTL", key});
    if (options_.read_type) commands.append(key, {"TYPE", key});
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
    return refusal.empty() ? refusal : "read refused: " + refusal;
  };
  // Never read again to find out: the sizing costs the source nothing.
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
  if (!accept_outcome(keys, outcome)) return std::nullopt;
  return outcome.sent_at;
}

bool DumpReader::accept_outcome(const KeyBatch& keys, const RetryOutcome& outcome) {
  switch (outcome.status) {
    case RetryOutcome::Status::answered:
      return true;
    case RetryOutcome::Status::cancelled:
      report_batch(keys, outcome.failure + std::string(kStoppedBeforeRetry));
      return false;
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
        error.endpoint(), "sizing the keys of a batch whose read timed out: " + cause_of(error));
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (expensive_keys_.is_expensive(sizes[i], timeouts)) {
      const char* command = value_command_name(plan_[i] == ReadBy::get);
      host_.report_failure(keys[i].key,
                           "not read: " + expensive_keys_.explain(command, keys[i].key, sizes[i]));
      continue;
    }
    if (kept != i) {
      keys[kept] = std::move(keys[i]);
      plan_[kept] = plan_[i];
    }
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
  plan_.resize(kept);
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
                                                        " replies to the read pipeline, got " +
                                                        std::to_string(replies_.size()));
  }
  for (std::size_t i = 0; i < replies_.size(); ++i) {
    const redis::Reply& reply = replies_[i];
    const std::size_t command = i % stride;
    const bool by_get = plan_[i / stride] == ReadBy::get;
    switch (command) {
      case kValue:
        if (reply.is_string() || reply.is_nil() || (by_get && is_wrong_type(reply))) continue;
        if (by_get && reply.is_error() && refuses_the_command(reply.str)) continue;
        break;
      case kPttl:
        if (reply.is_integer()) continue;
        break;
      default:
        if (reply.is_status() || reply.is_string()) continue;
    }
    if (reply.is_error()) {
      // A refusal about the source, not this key (a user without DUMP): the
      // same for every key, so the run stops with one message saying so.
      const redis::Refusal refusal =
          redis::classify_error_reply(reply.str, {"source", client_->is_cluster()});
      if (refusal.scope == redis::RefusalScope::server)
        throw redis::ServerRefusalError(client_->describe(), refusal);
    }
    const char* name = command == kValue  ? value_command_name(by_get)
                       : command == kPttl ? "PTTL"
                                          : "TYPE";
    const std::string what =
        reply.is_error() ? reply.str
                         : "unexpected " + std::string(redis::to_string(reply.type)) + " reply";
    throw redis::ReplyError(
        client_->describe(),
        std::string(name) + " \"" + printable_key(keys[i / stride].key) + "\" failed: " + what);
  }
}

}  // namespace riot::dump_plugin
