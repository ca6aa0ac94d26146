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

std::int64_t unix_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

DumpOptions DumpOptions::from_config(const nlohmann::json& config) {
  DumpOptions options;
  options.read_type = config.value("read_type", false);
  return options;
}

DumpReader::DumpReader(redis::ConnectionOptions connection, DumpOptions options, HostContext& host)
    : connection_(std::move(connection)), options_(options), host_(host) {
  connection_.connect();
}

void DumpReader::read(KeyBatch& keys, RecordBatch& out) {
  if (keys.empty()) return;
  encode(keys);
  // Taken before sending: a TTL the server reports is then never stretched by
  // the round trip's duration.
  const std::int64_t now_ms = unix_now_ms();
  replies_.clear();
  connection_.pipeline(commands_, replies_);
  check_replies(keys);

  // DUMP and PTTL are two commands, not an atomic pair: a key that vanishes or
  // appears between them is treated as gone (live mode gets an event for it).
  const std::size_t stride = commands_per_key();
  std::uint64_t skipped = 0;
  std::uint64_t bytes = 0;
  out.reserve(out.size() + keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& dump = replies_[i * stride + kDump];
    const std::int64_t pttl = replies_[i * stride + kPttl].integer;
    if (dump.is_nil() || pttl == kPttlMissing) {
      ++skipped;
      continue;
    }
    Record& record = out.emplace_back();
    record.key = std::move(keys[i].key);
    record.kind = RecordKind::dump;
    record.payload = std::move(dump.str);
    record.expire_at_ms = pttl == kPttlPersistent ? kNoExpiry : now_ms + pttl;
    if (options_.read_type) record.type = std::move(replies_[i * stride + kType].str);
    bytes += record.payload.size();
  }

  const std::uint64_t read = keys.size() - skipped;
  Metrics& metrics = host_.metrics();
  Metrics::add(metrics.keys_read, read);
  Metrics::add(metrics.bytes_read, bytes);
  if (skipped > 0) Metrics::add(metrics.keys_skipped, skipped);
  host_.logger().debug("codec.dump: batch of {} keys: {} read ({} bytes), {} gone", keys.size(),
                       read, bytes, skipped);
}

void DumpReader::encode(const KeyBatch& keys) {
  commands_.clear();
  for (const KeyEvent& event : keys) {
    commands_.append({"DUMP", event.key});
    commands_.append({"PTTL", event.key});
    if (options_.read_type) commands_.append({"TYPE", event.key});
  }
}

// Runs before any key is moved, so that a throw leaves the batch intact.
void DumpReader::check_replies(const KeyBatch& keys) const {
  const std::size_t stride = commands_per_key();
  if (replies_.size() != keys.size() * stride) {
    throw redis::ProtocolError(connection_.describe(), "expected " +
                                                           std::to_string(keys.size() * stride) +
                                                           " replies to the DUMP pipeline, got " +
                                                           std::to_string(replies_.size()));
  }
  for (std::size_t i = 0; i < replies_.size(); ++i) {
    const redis::Reply& reply = replies_[i];
    const std::size_t command = i % stride;
    if (is_expected_reply(command, reply)) continue;
    const std::string what =
        reply.is_error() ? reply.str
                         : "unexpected " + std::string(redis::to_string(reply.type)) + " reply";
    throw redis::ReplyError(connection_.describe(), std::string(kCommandNames[command]) + " \"" +
                                                        printable_key(keys[i / stride].key) +
                                                        "\" failed: " + what);
  }
}

}  // namespace riot::dump_plugin
