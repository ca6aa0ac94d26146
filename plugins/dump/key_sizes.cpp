#include "key_sizes.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "riot/byte_size.hpp"
#include "riot/redis/keyed_commands.hpp"

namespace riot::dump_plugin {
namespace {

// An element of an aggregate serializes to a few dozen bytes at least (a
// field and its value, a member and its score): enough to rank keys whose
// only known size is their length.
constexpr std::uint64_t kAssumedElementBytes = 32;

redis::KeyedCommands keyed_commands(const redis::Client& client) {
  redis::KeyedCommands commands;
  commands.track_slots(client.is_cluster());
  return commands;
}

// The fallback for the keys at `indexes` (MEMORY refused): TYPE, then the
// type's length command.
void measure_by_length(redis::Client& client, const KeyBatch& keys,
                       const std::vector<std::size_t>& indexes, std::vector<KeySize>& sizes) {
  redis::KeyedCommands types = keyed_commands(client);
  for (std::size_t index : indexes) types.append(keys[index].key, {"TYPE", keys[index].key});
  std::vector<redis::Reply> type_replies;
  client.pipeline(types, type_replies);

  redis::KeyedCommands lengths = keyed_commands(client);
  std::vector<std::size_t> measured;  // indexes of the keys asked for their length
  for (std::size_t i = 0; i < indexes.size() && i < type_replies.size(); ++i) {
    const redis::Reply& type = type_replies[i];
    if (!type.is_status() && !type.is_string()) continue;
    const std::string_view command = length_command(type.str);
    if (command.empty()) continue;
    const std::string& key = keys[indexes[i]].key;
    lengths.append(key, {command, key});
    measured.push_back(indexes[i]);
    sizes[indexes[i]].type = type.str;
  }
  if (lengths.empty()) return;
  std::vector<redis::Reply> length_replies;
  client.pipeline(lengths, length_replies);
  for (std::size_t i = 0; i < measured.size() && i < length_replies.size(); ++i) {
    KeySize& size = sizes[measured[i]];
    size = size_from_length(size.type, length_replies[i]);
  }
}

}  // namespace

std::string_view length_command(std::string_view type) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kCommands{{
      {"string", "STRLEN"},
      {"hash", "HLEN"},
      {"list", "LLEN"},
      {"set", "SCARD"},
      {"zset", "ZCARD"},
      {"stream", "XLEN"},
  }};
  for (const auto& [name, command] : kCommands)
    if (name == type) return command;
  return {};
}

KeySize size_from_length(std::string_view type, const redis::Reply& reply) {
  KeySize size;
  size.type = type;
  if (!reply.is_integer() || reply.integer < 0) return size;
  size.measure = type == "string" ? KeySize::Measure::bytes : KeySize::Measure::elements;
  size.amount = static_cast<std::uint64_t>(reply.integer);
  return size;
}

std::uint64_t KeySize::estimated_bytes() const noexcept {
  switch (measure) {
    case Measure::bytes:
      return amount;
    case Measure::elements:
      return amount * kAssumedElementBytes;
    default:
      return 0;
  }
}

std::string KeySize::describe() const {
  switch (measure) {
    case Measure::bytes:
      return "~" + format_bytes(amount);
    case Measure::elements:
      return "a " + type + " of " + std::to_string(amount) + " elements";
    default:
      return "unknown size";
  }
}

std::vector<KeySize> measure_key_sizes(redis::Client& client, const KeyBatch& keys) {
  std::vector<KeySize> sizes(keys.size());
  redis::KeyedCommands usage = keyed_commands(client);
  // The default sampling (5 nested values) keeps MEMORY USAGE O(1) on an
  // aggregate; SAMPLES 0 would walk all of it.
  for (const KeyEvent& event : keys) usage.append(event.key, {"MEMORY", "USAGE", event.key});
  std::vector<redis::Reply> replies;
  client.pipeline(usage, replies);

  std::vector<std::size_t> refused;  // MEMORY renamed away, or denied by an ACL
  for (std::size_t i = 0; i < keys.size() && i < replies.size(); ++i) {
    const redis::Reply& reply = replies[i];
    if (reply.is_integer() && reply.integer >= 0) {
      sizes[i].measure = KeySize::Measure::bytes;
      sizes[i].amount = static_cast<std::uint64_t>(reply.integer);
    } else if (reply.is_error()) {
      refused.push_back(i);
    }
    // nil: the key is gone, its size unknown (and irrelevant).
  }
  if (!refused.empty()) measure_by_length(client, keys, refused, sizes);
  return sizes;
}

}  // namespace riot::dump_plugin
