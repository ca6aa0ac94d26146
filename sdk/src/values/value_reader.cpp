#include "riot/values/value_reader.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "riot/datatype.hpp"
#include "riot/redis/errors.hpp"
#include "riot/values/decimal_text.hpp"
#include "riot/values/keyed_round.hpp"
#include "riot/values/value_bytes.hpp"

namespace riot::values {
namespace {

// PTTL's answers for a key without expiry and for a key that does not exist.
constexpr std::int64_t kPttlPersistent = -1;
constexpr std::int64_t kPttlMissing = -2;

Expiry expiry_of(std::int64_t pttl, Expiry::Clock::time_point sent_at) {
  return pttl == kPttlPersistent || pttl < 0 ? Expiry() : Expiry::after(pttl, sent_at);
}

std::string unsupported_type(std::string_view type) {
  return "not read: no datatype serves type \"" + printable_key(type) +
         "\" (load a plugin that registers datatype." + printable_key(type) + ")";
}

}  // namespace

ValueReader::ValueReader(redis::Client& client, RetryingPipeline& pipeline,
                         ValueReadOptions options, HostContext& host)
    : client_(client), pipeline_(pipeline), options_(std::move(options)), host_(host) {}

std::optional<Expiry::Clock::time_point> ValueReader::fetch(
    const std::function<void(redis::KeyedCommands&)>& encode,
    const std::vector<std::string_view>& keys) {
  return fetch_round({client_, pipeline_, host_, "not read"}, encode, keys, replies_);
}

std::string ValueReader::judge_error(const redis::Reply& reply) const {
  refuse_server_errors(reply, client_, "source");
  return reply.is_error() ? reply.str : std::string();
}

// A refusal about the source (a user without the command) stops the run at
// once. Other error replies are the datatype's to judge: a stream deleted
// since its TYPE answers "ERR no such key" to XINFO, which its datatype reads
// as gone. A datatype that decodes a value in spite of an error reply, or
// throws, leaves the key failed with the error.
ReadStatus ValueReader::decode_judged(std::span<const redis::Reply> replies,
                                      const std::function<ReadStatus()>& decode,
                                      std::string& error) const {
  std::string first_error;
  for (const redis::Reply& reply : replies) {
    const std::string judged = judge_error(reply);
    if (!judged.empty() && !judged.starts_with("WRONGTYPE") && first_error.empty())
      first_error = judged;
  }
  ReadStatus status = ReadStatus::value;
  try {
    status = decode();
  } catch (const redis::ReplyError& failure) {
    error = failure.what();
    return status;
  }
  if (status == ReadStatus::value) error = std::move(first_error);
  return status;
}

void ValueReader::decide_memory_refused(const redis::Reply& reply) {
  if (!reply.is_error() || memory_refused_) return;
  memory_refused_ = true;
  host_.logger().warn(
      "{}: MEMORY USAGE refused ({}): big keys cannot be told from small ones, every key is "
      "read whole; allow MEMORY USAGE to the source user (+memory) so that keys above {} bytes "
      "are read in chunks",
      client_.describe(), reply.str, options_.chunk_above_bytes);
}

std::optional<Expiry::Clock::time_point> ValueReader::read_facts(const KeyBatch& keys,
                                                                 std::vector<KeyFacts>& facts) {
  const bool sizes = options_.chunk_above_bytes > 0 && !memory_refused_;
  const DecimalText samples(options_.memory_samples);
  std::vector<std::string_view> names;
  names.reserve(keys.size());
  for (const KeyEvent& event : keys) names.emplace_back(event.key);
  const auto sent_at = fetch(
      [&](redis::KeyedCommands& commands) {
        for (const KeyEvent& event : keys) {
          commands.append(event.key, {"TYPE", event.key});
          commands.append(event.key, {"PTTL", event.key});
          if (sizes)
            commands.append(event.key, {"MEMORY", "USAGE", event.key, "SAMPLES", samples.view()});
        }
      },
      names);
  if (!sent_at) return std::nullopt;

  const std::size_t stride = sizes ? 3 : 2;
  if (replies_.size() != keys.size() * stride) {
    throw redis::ProtocolError(client_.describe(), "expected " +
                                                       std::to_string(keys.size() * stride) +
                                                       " replies to TYPE and PTTL, got " +
                                                       std::to_string(replies_.size()));
  }
  facts.assign(keys.size(), KeyFacts{});
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& type = replies_[i * stride];
    const redis::Reply& pttl = replies_[i * stride + 1];
    if (sizes) {
      // Refused (ACL, renamed): not a failure of the key, which is read whole.
      const redis::Reply& memory = replies_[i * stride + 2];
      decide_memory_refused(memory);
      if (memory.is_integer()) facts[i].memory = memory.integer;
    }
    for (const redis::Reply* reply : {static_cast<const redis::Reply*>(&type), &pttl}) {
      const std::string error = judge_error(*reply);
      if (!error.empty()) {
        throw redis::ReplyError(client_.describe(), (reply == &type ? "TYPE \"" : "PTTL \"") +
                                                        printable_key(keys[i].key) +
                                                        "\" failed: " + error);
      }
    }
    if (!(type.is_status() || type.is_string()) || !pttl.is_integer()) {
      throw redis::ProtocolError(client_.describe(), "unexpected reply to TYPE or PTTL of \"" +
                                                         printable_key(keys[i].key) + "\"");
    }
    facts[i].type = std::move(type.str);
    facts[i].pttl = pttl.integer;
  }
  return sent_at;
}

void ValueReader::settle_gone(KeyEvent& event, RecordBatch& out, std::uint64_t& skipped) const {
  if (!options_.erase_missing) {
    ++skipped;
    return;
  }
  Record& record = out.emplace_back();
  record.take_event_context(event);
  record.kind = RecordKind::erase;
}

void ValueReader::read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) {
  if (keys.empty()) return;
  KeyBatch changed;
  read_pass(keys, out, early, &changed);
  // A key replaced by one of another type between its TYPE and its read is
  // read once more, from its TYPE on.
  if (!changed.empty()) read_pass(changed, out, early, nullptr);
}

void ValueReader::read_pass(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early,
                            KeyBatch* changed) {
  std::vector<KeyFacts> facts;
  const std::optional<Expiry::Clock::time_point> facts_sent_at = read_facts(keys, facts);
  if (!facts_sent_at) return;

  // Sort the keys: gone, whole, in chunks.
  std::uint64_t skipped = 0;
  std::vector<std::size_t> whole;
  std::vector<std::size_t> chunked;
  std::vector<const Datatype*> datatypes(keys.size(), nullptr);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyFacts& fact = facts[i];
    const bool gone = fact.type == "none" || fact.pttl == kPttlMissing ||
                      (options_.only_type && fact.type != *options_.only_type);
    if (gone) {
      settle_gone(keys[i], out, skipped);
      continue;
    }
    datatypes[i] = host_.datatype(fact.type);
    if (datatypes[i] == nullptr) {
      host_.report_failure(keys[i].key, unsupported_type(fact.type));
      continue;
    }
    const bool big = options_.chunk_above_bytes > 0 && fact.memory >= 0 &&
                     static_cast<std::uint64_t>(fact.memory) > options_.chunk_above_bytes &&
                     datatypes[i]->reads_in_chunks();
    (big ? chunked : whole).push_back(i);
  }

  // Round 2: every small key's whole value, in one pipeline.
  std::uint64_t read = 0;
  std::uint64_t bytes = 0;
  if (!whole.empty()) {
    std::vector<std::size_t> counts(whole.size(), 0);
    std::vector<std::string_view> names;
    for (const std::size_t i : whole) names.emplace_back(keys[i].key);
    const auto sent_at = fetch(
        [&](redis::KeyedCommands& commands) {
          for (std::size_t n = 0; n < whole.size(); ++n)
            counts[n] = datatypes[whole[n]]->append_read(keys[whole[n]].key, commands);
        },
        names);
    if (!sent_at) return;
    std::size_t next = 0;
    for (std::size_t n = 0; n < whole.size(); ++n) {
      const std::size_t i = whole[n];
      const std::span<redis::Reply> replies(replies_.data() + next, counts[n]);
      next += counts[n];
      Record record;
      std::string error;
      const ReadStatus status = decode_judged(
          replies, [&] { return datatypes[i]->decode_read(replies, record); }, error);
      if (!error.empty()) {
        host_.report_failure(keys[i].key, "not read: " + error);
        continue;
      }
      if (status == ReadStatus::gone) {
        settle_gone(keys[i], out, skipped);
        continue;
      }
      if (status == ReadStatus::wrong_type) {
        if (changed != nullptr) {
          changed->push_back(std::move(keys[i]));
        } else {
          host_.report_failure(keys[i].key,
                               "not read: its type changed twice while it was being read");
        }
        continue;
      }
      record.take_event_context(keys[i]);
      record.kind = RecordKind::value;
      record.type = std::move(facts[i].type);
      record.chunk = {0, true};
      record.expiry = expiry_of(facts[i].pttl, *facts_sent_at);
      record.memory_usage = facts[i].memory;
      bytes += value_bytes(record);
      ++read;
      out.push_back(std::move(record));
    }
  }
  Metrics& metrics = host_.metrics();
  Metrics::add(metrics.keys_read, read);
  Metrics::add(metrics.bytes_read, bytes);
  if (skipped > 0) Metrics::add(metrics.keys_skipped, skipped);

  // Then each big key, chunk by chunk.
  for (const std::size_t i : chunked) {
    const ChunkedRead result =
        read_chunks(keys[i], *datatypes[i], expiry_of(facts[i].pttl, *facts_sent_at), out, early);
    if (result == ChunkedRead::stopped) return;
    if (result == ChunkedRead::gone) {
      std::uint64_t gone = 0;
      settle_gone(keys[i], out, gone);
      if (gone > 0) Metrics::add(metrics.keys_skipped, gone);
    } else if (result == ChunkedRead::wrong_type) {
      if (changed != nullptr) {
        changed->push_back(std::move(keys[i]));
      } else {
        host_.report_failure(keys[i].key,
                             "not read: its type changed twice while it was being read");
      }
    }
  }
  host_.logger().debug("{} keys: {} read whole ({} bytes), {} in chunks, {} gone", keys.size(),
                       read, bytes, chunked.size(), skipped);
}

bool ValueReader::read_in_chunks(KeyEvent& event, std::string_view type, Expiry expiry,
                                 RecordBatch& out, RecordBatchWriter& early) {
  const Datatype* datatype = host_.datatype(type);
  if (datatype == nullptr) {
    host_.report_failure(event.key, unsupported_type(type));
    return true;
  }
  const ChunkedRead result = read_chunks(event, *datatype, expiry, out, early);
  return result == ChunkedRead::complete || result == ChunkedRead::stopped;
}

ValueReader::ChunkedRead ValueReader::read_chunks(KeyEvent& event, const Datatype& datatype,
                                                  Expiry expiry, RecordBatch& out,
                                                  RecordBatchWriter& early) {
  Metrics& metrics = host_.metrics();
  const std::vector<std::string_view> names{event.key};
  const bool chunks = datatype.reads_in_chunks();
  ChunkCursor cursor;
  RecordBatch handed;
  for (std::uint32_t index = 0;; ++index) {
    std::size_t count = 0;
    const auto sent_at = fetch(
        [&](redis::KeyedCommands& commands) {
          count =
              chunks ? datatype.append_chunk_read(event.key, cursor, options_.chunk_bytes, commands)
                     : datatype.append_read(event.key, commands);
        },
        names);
    if (!sent_at) return ChunkedRead::stopped;

    Record record;
    const std::span<redis::Reply> replies(replies_.data(), count);
    std::string error;
    const ReadStatus status = decode_judged(
        replies,
        [&] {
          return chunks ? datatype.decode_chunk_read(replies, cursor, options_.chunk_bytes, record)
                        : datatype.decode_read(replies, record);
        },
        error);
    if (!error.empty()) host_.report_failure(event.key, "not read: " + error);
    if (!error.empty() || status != ReadStatus::value) {
      if (index == 0) {
        if (!error.empty()) return ChunkedRead::complete;  // reported
        return status == ReadStatus::gone ? ChunkedRead::gone : ChunkedRead::wrong_type;
      }
      // Chunks went ahead: an erase record deletes what the target built of
      // them (the staging key, or the part merged in place) and the key,
      // which the source no longer holds in that form; a later event or
      // pass copies it anew. Handed over too, so that it follows them.
      handed.clear();
      Record& erase = handed.emplace_back();
      erase.key = event.key;
      erase.origin = event.origin;
      erase.observed_at = event.observed_at;
      erase.kind = RecordKind::erase;
      return early.hand_over(handed) ? ChunkedRead::complete : ChunkedRead::stopped;
    }

    const bool last = !chunks || cursor.done;
    record.kind = RecordKind::value;
    record.type = datatype.type_name();
    record.chunk = {index, last};
    record.expiry = expiry;
    Metrics::add(metrics.bytes_read, value_bytes(record));
    if (last && index == 0) {  // a whole value after all
      record.take_event_context(event);
      out.push_back(std::move(record));
      Metrics::add(metrics.keys_read, 1);
      return ChunkedRead::complete;
    }
    record.key = event.key;
    record.origin = event.origin;
    record.observed_at = event.observed_at;
    // Every chunk of a reading is handed over, the last too: the host stamps
    // the chunks of one reading as they pass, in order.
    handed.clear();
    handed.push_back(std::move(record));
    if (!early.hand_over(handed)) return ChunkedRead::stopped;
    if (last) {
      Metrics::add(metrics.keys_read, 1);
      host_.logger().debug("\"{}\" read in {} chunks", printable_key(event.key), index + 1);
      return ChunkedRead::complete;
    }
  }
}

}  // namespace riot::values
