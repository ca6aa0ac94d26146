#include "target_look.hpp"

#include <unordered_map>
#include <utility>

#include "rdb_type.hpp"
#include "riot/redis/errors.hpp"
#include "riot/retry.hpp"
#include "ttl_judgement.hpp"

namespace riot::compare_plugin {
namespace {

std::string no_datatype(std::string_view type) {
  return "no datatype serves type \"" + printable_key(type) + "\"";
}

// The source's type of a dump record: as its reader read it, else from the
// payload; a module value (whose name the payload does not tell plainly) is
// taken for the target's type, "unknown" when the target lacks the key.
std::string type_of_dump_record(const Record& record, const std::string& target_type) {
  if (!record.type.empty()) return record.type;
  if (const auto type = type_of_dump(record.payload)) return std::string(*type);
  return target_type.empty() ? std::string("unknown") : target_type;
}

}  // namespace

TargetLook::TargetLook(values::KeyedRound target, std::int64_t ttl_tolerance_ms)
    : target_(target), ttl_tolerance_ms_(ttl_tolerance_ms) {}

bool TargetLook::look(RecordBatch& records, ChunkedKeys& chunked, std::vector<KeyLook>& looks) {
  looks.assign(records.size(), KeyLook{.outcome = KeyLook::Outcome::pending});
  // The n-th chunk of a key in this batch goes in round n: its probe starts
  // where the previous chunk's ended.
  std::unordered_map<std::string_view, std::size_t> chunks_seen;
  std::vector<std::vector<std::size_t>> rounds(1);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    std::size_t round = 0;
    if (record.kind == RecordKind::value && !record.chunk.is_whole())
      round = chunks_seen[record.key]++;
    if (round >= rounds.size()) rounds.resize(round + 1);
    rounds[round].push_back(i);
  }
  for (const std::vector<std::size_t>& round : rounds) {
    if (!look_round(records, round, chunked, looks)) return false;
  }
  return true;
}

bool TargetLook::look_round(RecordBatch& records, std::span<const std::size_t> round,
                            ChunkedKeys& chunked, std::vector<KeyLook>& looks) {
  planned_.clear();
  std::vector<std::string_view> names;
  for (const std::size_t i : round) {
    Planned planned = plan(records[i], i, chunked, looks);
    if (planned.sent == Sent::nothing) continue;
    planned_.push_back(planned);
    names.emplace_back(records[i].key);
  }
  if (planned_.empty()) return true;
  const auto sent_at = values::fetch_round(
      target_,
      [&](redis::KeyedCommands& commands) {
        for (Planned& planned : planned_) {
          planned.first = commands.size();
          planned.count = encode(records[planned.record], planned, commands);
        }
      },
      names, replies_);
  if (!sent_at) return false;
  const std::size_t expected = planned_.back().first + planned_.back().count;
  if (replies_.size() != expected) {
    throw redis::ProtocolError(target_.client.describe(),
                               "expected " + std::to_string(expected) +
                                   " replies to the comparison pipeline, got " +
                                   std::to_string(replies_.size()));
  }
  for (const Planned& planned : planned_) {
    const std::span<redis::Reply> replies(replies_.data() + planned.first, planned.count);
    looks[planned.record] = judge(records[planned.record], planned, replies, *sent_at, chunked);
  }
  return true;
}

TargetLook::Planned TargetLook::plan(const Record& record, std::size_t index, ChunkedKeys& chunked,
                                     std::vector<KeyLook>& looks) const {
  Planned planned{.record = index};
  switch (record.kind) {
    case RecordKind::erase:
      planned.sent = Sent::erase;
      return planned;
    case RecordKind::dump:
      planned.sent = Sent::dump;
      return planned;
    case RecordKind::digest:
      planned.sent = Sent::digest;
      planned.datatype = target_.host.datatype(record.type);
      return planned;
    case RecordKind::value:
      break;
  }
  planned.datatype = target_.host.datatype(record.type);
  if (planned.datatype == nullptr) {
    if (record.chunk.index == 0) looks[index] = failed(record.key, no_datatype(record.type));
    return planned;
  }
  if (record.chunk.is_whole()) {
    planned.sent = Sent::whole;
    return planned;
  }
  if (record.chunk.index == 0) {
    planned.chunked = &chunked.start(record, *planned.datatype);
  } else {
    planned.chunked = chunked.find(record.key);
    planned.facts = false;
    // Its first chunk failed, or belongs to another reading: nothing to go on.
    if (planned.chunked == nullptr || planned.chunked->reading != record.chunk.reading)
      return planned;
  }
  planned.sent = Sent::chunk;
  return planned;
}

std::size_t TargetLook::encode(const Record& record, const Planned& planned,
                               redis::KeyedCommands& commands) const {
  const std::string& key = record.key;
  std::size_t count = 0;
  if (planned.facts) {
    commands.append(key, {"TYPE", key});
    commands.append(key, {"PTTL", key});
    count = 2;
  }
  switch (planned.sent) {
    case Sent::dump:
      commands.append(key, {"DUMP", key});
      return count + 1;
    case Sent::digest:
      return count + (planned.datatype ? planned.datatype->append_size(key, commands) : 0);
    case Sent::whole:
      return count + planned.datatype->append_read(key, commands);
    case Sent::chunk: {
      const ChunkedKey& chunked = *planned.chunked;
      if (!chunked.probing()) return count;
      if (!chunked.gathers())
        return count + planned.datatype->append_chunk_probe(record, chunked.probe, key, commands);
      return count + (record.chunk.last ? planned.datatype->append_read(key, commands) : 0);
    }
    case Sent::erase:
    case Sent::nothing:
      break;
  }
  return count;
}

KeyLook TargetLook::judge(Record& record, const Planned& planned, std::span<redis::Reply> replies,
                          Expiry::Clock::time_point sent_at, ChunkedKeys& chunked) const {
  for (const redis::Reply& reply : replies)
    values::refuse_server_errors(reply, target_.client, "target");
  // A big key that fails is done with: its later chunks are not probed.
  const auto fail_key = [&](const std::string& error) {
    if (planned.chunked != nullptr) {
      planned.chunked->failed = true;
      if (record.chunk.last) chunked.finish(record.key);
    }
    return failed(record.key, error);
  };
  KeySides sides;
  sides.looked_at = sent_at;
  sides.source_expiry = record.expiry;
  if (planned.facts) {
    const redis::Reply& type = replies[0];
    const redis::Reply& pttl = replies[1];
    if (type.is_error() || pttl.is_error() || !pttl.is_integer()) {
      const std::string error = type.is_error()   ? "TYPE failed: " + type.str
                                : pttl.is_error() ? "PTTL failed: " + pttl.str
                                                  : "unexpected reply to PTTL";
      return fail_key(error);
    }
    if (type.str != "none" && pttl.integer != kPttlMissing) sides.target_type = type.str;
    sides.target_pttl = pttl.integer;
    sides.target_expiry = expiry_from_pttl(pttl.integer, sent_at);
    replies = replies.subspan(2);
  }

  ValueComparison value;
  try {
    switch (planned.sent) {
      case Sent::erase:
        break;
      case Sent::dump: {
        sides.source_type = type_of_dump_record(record, sides.target_type);
        const redis::Reply& payload = replies[0];
        if (payload.is_error()) return failed(record.key, "DUMP failed: " + payload.str);
        if (payload.is_nil()) sides.target_type.clear();  // deleted since its TYPE
        if (payload.str == record.payload) break;
        const bool by_type = target_.host.datatype(sides.source_type) != nullptr;
        value = ValueComparison::differs(by_type ? std::string("DUMP bytes differ")
                                                 : "no datatype for type " + sides.source_type +
                                                       ": DUMP bytes differ");
        KeyLook look = classify(std::move(sides), value, ttl_tolerance_ms_);
        look.by_dump_bytes = by_type && look.differs() && look.difference == DifferenceClass::value;
        return look;
      }
      case Sent::digest:
        sides.source_type = record.type;
        if (!replies.empty() && record.size >= 0 && sides.target_type == sides.source_type) {
          const auto size = planned.datatype->decode_size(replies[0]);
          if (size && *size != record.size) {
            value = ValueComparison::differs("size " + std::to_string(record.size) + " vs " +
                                             std::to_string(*size));
          }
        }
        break;
      case Sent::whole:
        sides.source_type = record.type;
        if (sides.target_type == sides.source_type)
          value = compare_whole(*planned.datatype, record, replies);
        break;
      case Sent::chunk: {
        sides.source_type = record.type;
        const bool matches = sides.target_type == sides.source_type;
        return judge_chunk(record, planned, replies, std::move(sides), matches, chunked);
      }
      case Sent::nothing:
        break;
    }
  } catch (const redis::ReplyError& error) {
    return fail_key(cause_of(error));
  }
  return classify(std::move(sides), value, ttl_tolerance_ms_);
}

KeyLook TargetLook::judge_chunk(Record& record, const Planned& planned,
                                std::span<redis::Reply> replies, KeySides sides,
                                bool target_matches, ChunkedKeys& chunked) const {
  ChunkedKey& key = *planned.chunked;
  if (planned.facts) {
    key.sides = std::move(sides);
    key.settled = !target_matches;
  }
  if (key.probing()) {
    if (!key.gathers()) {
      ValueComparison probed = key.datatype->decode_chunk_probe(replies, record, key.probe);
      if (!probed.equal) key.difference = std::move(probed);
    } else {
      for (std::string& part : record.parts) key.gathered.parts.push_back(std::move(part));
      if (record.chunk.last) {
        ValueComparison whole = compare_whole(*key.datatype, key.gathered, replies);
        if (!whole.equal) key.difference = std::move(whole);
      }
    }
  }
  if (!record.chunk.last) return KeyLook{.outcome = KeyLook::Outcome::pending};
  KeyLook look = key.failed ? KeyLook{.outcome = KeyLook::Outcome::failed}
                            : classify(key.sides, key.difference.value_or(ValueComparison::same()),
                                       ttl_tolerance_ms_);
  chunked.finish(record.key);
  return look;
}

ValueComparison TargetLook::compare_whole(const Datatype& datatype, const Record& source,
                                          std::span<redis::Reply> replies) const {
  Record target;
  target.key = source.key;
  target.kind = RecordKind::value;
  target.type = source.type;
  if (datatype.decode_read(replies, target) != ReadStatus::value)
    return ValueComparison::differs("the target's key changed while it was read");
  return datatype.compare(source, target);
}

KeyLook TargetLook::failed(std::string_view key, const std::string& error) const {
  target_.host.report_failure(key, "not compared: " + error);
  return KeyLook{.outcome = KeyLook::Outcome::failed};
}

}  // namespace riot::compare_plugin
