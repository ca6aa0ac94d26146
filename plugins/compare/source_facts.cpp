#include "source_facts.hpp"

#include <utility>

#include "riot/datatype.hpp"
#include "riot/redis/errors.hpp"
#include "ttl_judgement.hpp"

namespace riot::compare_plugin {

SourceFacts::SourceFacts(values::KeyedRound round, std::optional<std::string> only_type)
    : round_(round), only_type_(std::move(only_type)) {}

std::vector<std::string_view> SourceFacts::names(const KeyBatch& keys) const {
  std::vector<std::string_view> result;
  result.reserve(keys.size());
  for (const KeyEvent& event : keys) result.emplace_back(event.key);
  return result;
}

bool SourceFacts::wanted(const std::string& type) const {
  return !type.empty() && (!only_type_ || type == *only_type_);
}

void SourceFacts::add_erase(KeyEvent& event, RecordBatch& out, FactsTally& tally) const {
  Record& record = out.emplace_back();
  record.take_event_context(event);
  record.kind = RecordKind::erase;
  ++tally.erased;
}

std::optional<Expiry::Clock::time_point> SourceFacts::read_types(const KeyBatch& keys,
                                                                 std::string_view extra) {
  const std::size_t stride = extra.empty() ? 2 : 3;
  const auto sent_at = values::fetch_round(
      round_,
      [&](redis::KeyedCommands& commands) {
        for (const KeyEvent& event : keys) {
          commands.append(event.key, {"TYPE", event.key});
          commands.append(event.key, {"PTTL", event.key});
          if (!extra.empty()) commands.append(event.key, {extra, event.key});
        }
      },
      names(keys), replies_);
  if (!sent_at) return std::nullopt;
  if (replies_.size() != keys.size() * stride) {
    throw redis::ProtocolError(round_.client.describe(), "expected " +
                                                             std::to_string(keys.size() * stride) +
                                                             " replies to TYPE and PTTL, got " +
                                                             std::to_string(replies_.size()));
  }
  types_.assign(keys.size(), {});
  pttls_.assign(keys.size(), kPttlMissing);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& type = replies_[i * stride];
    const redis::Reply& pttl = replies_[i * stride + 1];
    values::refuse_server_errors(type, round_.client, "source");
    values::refuse_server_errors(pttl, round_.client, "source");
    if (!(type.is_status() || type.is_string()) || !pttl.is_integer()) {
      throw redis::ProtocolError(
          round_.client.describe(),
          "unexpected reply to TYPE or PTTL of \"" + printable_key(keys[i].key) + "\"");
    }
    // A key that expired between TYPE and PTTL is gone.
    if (type.str != "none" && pttl.integer != kPttlMissing) types_[i] = std::move(type.str);
    pttls_[i] = pttl.integer;
  }
  return sent_at;
}

bool SourceFacts::read_digests(KeyBatch& keys, RecordBatch& out, FactsTally& tally) {
  if (keys.empty()) return true;
  const auto sent_at = read_types(keys, {});
  if (!sent_at) return false;

  // Round 2: the size of every key whose datatype has a cheap measure.
  std::vector<const Datatype*> datatypes(keys.size(), nullptr);
  std::vector<std::size_t> counts(keys.size(), 0);
  bool any_size = false;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (wanted(types_[i])) datatypes[i] = round_.host.datatype(types_[i]);
    any_size = any_size || datatypes[i] != nullptr;
  }
  std::vector<redis::Reply> sizes;
  if (any_size) {
    if (!values::fetch_round(
            round_,
            [&](redis::KeyedCommands& commands) {
              for (std::size_t i = 0; i < keys.size(); ++i) {
                if (datatypes[i] != nullptr)
                  counts[i] = datatypes[i]->append_size(keys[i].key, commands);
              }
            },
            names(keys), sizes))
      return false;
  }

  std::size_t next = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!wanted(types_[i])) {
      add_erase(keys[i], out, tally);
      continue;
    }
    Record& record = out.emplace_back();
    record.take_event_context(keys[i]);
    record.kind = RecordKind::digest;
    record.type = std::move(types_[i]);
    record.expiry = expiry_from_pttl(pttls_[i], *sent_at);
    if (counts[i] > 0) {
      // A key replaced meanwhile answers WRONGTYPE: no size, compared by type and TTL.
      values::refuse_server_errors(sizes[next], round_.client, "source");
      record.size = datatypes[i]->decode_size(sizes[next]).value_or(-1);
    }
    next += counts[i];
    ++tally.described;
  }
  return true;
}

bool SourceFacts::read_presence(KeyBatch& keys, RecordBatch& out, FactsTally& tally) {
  if (keys.empty()) return true;
  if (only_type_) {
    // A key of another type counts as absent: its type must be read.
    if (!read_types(keys, {})) return false;
  } else {
    if (!values::fetch_round(
            round_,
            [&](redis::KeyedCommands& commands) {
              for (const KeyEvent& event : keys) commands.append(event.key, {"EXISTS", event.key});
            },
            names(keys), replies_))
      return false;
    types_.assign(keys.size(), {});
    for (std::size_t i = 0; i < keys.size(); ++i) {
      values::refuse_server_errors(replies_[i], round_.client, "source");
      if (!replies_[i].is_integer()) {
        throw redis::ProtocolError(round_.client.describe(), "unexpected reply to EXISTS \"" +
                                                                 printable_key(keys[i].key) + "\"");
      }
      // Any type will do: EXISTS tells presence only.
      if (replies_[i].integer > 0) types_[i] = "present";
    }
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (wanted(types_[i])) {
      ++tally.present;
    } else {
      add_erase(keys[i], out, tally);
    }
  }
  return true;
}

bool SourceFacts::read_dumps(KeyBatch& keys, RecordBatch& out, FactsTally& tally) {
  if (keys.empty()) return true;
  const auto sent_at = read_types(keys, "DUMP");
  if (!sent_at) return false;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    redis::Reply& payload = replies_[i * 3 + 2];
    values::refuse_server_errors(payload, round_.client, "source");
    if (!wanted(types_[i]) || !payload.is_string()) {
      add_erase(keys[i], out, tally);
      continue;
    }
    Record& record = out.emplace_back();
    record.take_event_context(keys[i]);
    record.kind = RecordKind::dump;
    record.type = std::move(types_[i]);
    record.payload = std::move(payload.str);
    record.expiry = expiry_from_pttl(pttls_[i], *sent_at);
    tally.bytes += record.payload.size();
    ++tally.described;
  }
  return true;
}

}  // namespace riot::compare_plugin
