// The independent comparison of two databases (see dataset.hpp).
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "riot/record.hpp"
#include "riot/redis/errors.hpp"
#include "support/dataset.hpp"

namespace riot::test {
namespace {

using redis::Connection;
using redis::Reply;

// Unambiguous concatenation: every piece is length-prefixed, so binary data
// can never make two different values render alike.
void append_piece(std::string& out, std::string_view piece) {
  out += std::to_string(piece.size());
  out += ':';
  out += piece;
  out += ',';
}

std::string join_sorted(std::vector<std::string> pieces) {
  std::sort(pieces.begin(), pieces.end());
  std::string out;
  for (const auto& piece : pieces) append_piece(out, piece);
  return out;
}

std::string join_in_order(const Reply& array) {
  std::string out;
  for (const auto& element : array.elements) append_piece(out, element.str);
  return out;
}

// Pairs of a flat [k1, v1, k2, v2...] reply, sorted by key.
std::string join_pairs_sorted(const Reply& array) {
  std::vector<std::string> pairs;
  for (std::size_t i = 0; i + 1 < array.elements.size(); i += 2) {
    std::string pair;
    append_piece(pair, array.elements[i].str);
    append_piece(pair, array.elements[i + 1].str);
    pairs.push_back(std::move(pair));
  }
  return join_sorted(std::move(pairs));
}

// Looks up a field of an XINFO reply (a flat array of name/value pairs).
const Reply* info_field(const Reply& info, std::string_view name) {
  for (std::size_t i = 0; i + 1 < info.elements.size(); i += 2)
    if (info.elements[i].str == name) return &info.elements[i + 1];
  return nullptr;
}

std::string reply_text(const Reply* reply) {
  if (reply == nullptr) return "<absent>";
  if (reply->is_integer()) return std::to_string(reply->integer);
  return reply->str;
}

std::string canonical_stream(Keyspace& keyspace, const std::string& key) {
  std::string out;
  const Reply entries = keyspace.checked_on_key(key, {"XRANGE", key, "-", "+"});
  for (const auto& entry : entries.elements) {
    append_piece(out, entry.elements.at(0).str);
    out += join_in_order(entry.elements.at(1));
  }
  const Reply stream_info = keyspace.checked_on_key(key, {"XINFO", "STREAM", key});
  append_piece(out,
               "last-generated-id=" + reply_text(info_field(stream_info, "last-generated-id")));
  const Reply groups = keyspace.checked_on_key(key, {"XINFO", "GROUPS", key});
  std::vector<std::string> group_texts;
  for (const auto& group : groups.elements) {
    const std::string name = reply_text(info_field(group, "name"));
    std::string text = "group " + name +
                       " consumers=" + reply_text(info_field(group, "consumers")) +
                       " pending=" + reply_text(info_field(group, "pending")) +
                       " last-delivered=" + reply_text(info_field(group, "last-delivered-id"));
    const Reply pending =
        keyspace.checked_on_key(key, {"XPENDING", key, name, "-", "+", "1000000"});
    for (const auto& entry : pending.elements)  // id, consumer, idle ms (varies), deliveries
      text += " [" + entry.elements.at(0).str + " " + entry.elements.at(1).str + " " +
              std::to_string(entry.elements.at(3).integer) + "]";
    group_texts.push_back(std::move(text));
  }
  return out + join_sorted(std::move(group_texts));
}

// The command that reads a whole value of `type` at once; false for a type
// read another way (streams) or not at all.
bool add_value_read(KeyedCommands& commands, const std::string& type, const std::string& key) {
  if (type == "string")
    commands.add({"GET", key});
  else if (type == "hash")
    commands.add({"HGETALL", key});
  else if (type == "list")
    commands.add({"LRANGE", key, "0", "-1"});
  else if (type == "set")
    commands.add({"SMEMBERS", key});
  else if (type == "zset")
    commands.add({"ZRANGE", key, "0", "-1", "WITHSCORES"});
  else
    return false;
  return true;
}

// The canonical text of a value read by add_value_read's command.
std::string canonical_from_reply(const std::string& type, const Reply& reply) {
  if (reply.is_nil()) return "none";  // gone since TYPE answered
  if (type == "string") return "string:" + reply.str;
  if (type == "hash") return "hash:" + join_pairs_sorted(reply);
  if (type == "list") return "list:" + join_in_order(reply);
  if (type == "set") {
    std::vector<std::string> members;
    for (const auto& member : reply.elements) members.push_back(member.str);
    return "set:" + join_sorted(std::move(members));
  }
  return "zset:" + join_in_order(reply);
}

void check_supported(const std::string& type) {
  static const std::set<std::string, std::less<>> kSupported{"string", "hash",   "list", "set",
                                                             "zset",   "stream", "none"};
  if (!kSupported.contains(type))
    throw std::runtime_error("canonical_value: unsupported type " + type);
}

struct KeyState {
  std::string type;
  std::int64_t pttl = -2;
};

// TYPE and PTTL of every key, pipelined.
std::vector<KeyState> key_states(Keyspace& keyspace, std::span<const std::string> keys) {
  KeyedCommands commands;
  for (const auto& key : keys) {
    commands.add({"TYPE", key});
    commands.add({"PTTL", key});
  }
  const std::vector<Reply> replies = keyspace.pipeline(commands);
  std::vector<KeyState> states;
  states.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Reply& type = replies.at(2 * i);
    const Reply& pttl = replies.at(2 * i + 1);
    if (type.is_error() || pttl.is_error())
      throw redis::ReplyError(keyspace.describe(), "reading the type and TTL of " +
                                                       printable_key(keys[i]) + ": " +
                                                       (type.is_error() ? type.str : pttl.str));
    states.push_back({type.str, pttl.integer});
  }
  return states;
}

// A value as canonical text, or why it could not be read.
struct Value {
  bool readable = true;
  std::string text;  // the canonical value, or the error
};

// The values of `keys` (whose types are `types`), pipelined but for streams.
std::vector<Value> read_values(Keyspace& keyspace, const std::vector<std::string>& keys,
                               const std::vector<std::string>& types) {
  std::vector<Value> values(keys.size());
  KeyedCommands commands;
  std::vector<std::size_t> pipelined;  // which key each command reads
  for (std::size_t i = 0; i < keys.size(); ++i) {
    check_supported(types[i]);
    if (add_value_read(commands, types[i], keys[i])) pipelined.push_back(i);
  }
  const std::vector<Reply> replies = keyspace.pipeline(commands);
  for (std::size_t n = 0; n < pipelined.size(); ++n) {
    const std::size_t i = pipelined[n];
    if (replies.at(n).is_error())
      values[i] = {false, replies[n].str};
    else
      values[i] = {true, canonical_from_reply(types[i], replies[n])};
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (types[i] != "stream") continue;
    try {
      values[i] = {true, "stream:" + canonical_stream(keyspace, keys[i])};
    } catch (const redis::ReplyError& error) {
      values[i] = {false, error.what()};
    }
  }
  return values;
}

constexpr std::size_t kCompareBatch = 500;

}  // namespace

std::string canonical_value(Keyspace& keyspace, const std::string& key) {
  const std::string type = keyspace.checked({"TYPE", key}).str;
  check_supported(type);
  if (type == "none") return "none";
  if (type == "stream") return "stream:" + canonical_stream(keyspace, key);
  KeyedCommands commands;
  add_value_read(commands, type, key);
  const Reply reply = keyspace.pipeline(commands).at(0);
  if (reply.is_error()) throw redis::ReplyError(keyspace.describe(), reply.str);
  return canonical_from_reply(type, reply);
}

std::string canonical_value(Connection& connection, const std::string& key) {
  StandaloneKeyspace keyspace(connection);
  return canonical_value(keyspace, key);
}

std::vector<std::string> scan_all_keys(Connection& c) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    Reply reply = c.checked({"SCAN", cursor, "COUNT", "1000"});
    cursor = reply.elements.at(0).str;
    for (auto& key : reply.elements.at(1).elements) keys.push_back(std::move(key.str));
  } while (cursor != "0");
  return keys;
}

std::vector<std::string> compare_databases(Keyspace& source, Keyspace& target,
                                           std::chrono::milliseconds ttl_tolerance) {
  std::vector<std::string> differences;
  // A cluster's topology may have changed since the keyspace was last used.
  source.refresh();
  target.refresh();
  const std::vector<std::string> source_keys = source.scan_all_keys();
  const std::set<std::string> source_set(source_keys.begin(), source_keys.end());
  for (std::size_t start = 0; start < source_keys.size(); start += kCompareBatch) {
    const std::span<const std::string> batch(source_keys.data() + start,
                                             std::min(kCompareBatch, source_keys.size() - start));
    const std::vector<KeyState> expected = key_states(source, batch);
    const std::vector<KeyState> actual = key_states(target, batch);
    std::vector<std::string> value_keys, value_types;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (expected[i].type != "none" && expected[i].type == actual[i].type) {
        value_keys.push_back(batch[i]);
        value_types.push_back(expected[i].type);
      }
    }
    const std::vector<Value> source_values = read_values(source, value_keys, value_types);
    const std::vector<Value> target_values = read_values(target, value_keys, value_types);
    std::size_t v = 0;  // index into the values
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string& key = batch[i];
      if (expected[i].type == "none") continue;  // expired meanwhile
      const std::string name = printable_key(key);
      if (actual[i].type == "none") {
        differences.push_back("missing on target: " + name);
        continue;
      }
      if (expected[i].type != actual[i].type) {
        differences.push_back("type of " + name + ": " + expected[i].type +
                              " != " + actual[i].type);
        continue;
      }
      const Value& source_value = source_values.at(v);
      const Value& target_value = target_values.at(v);
      ++v;
      if (!source_value.readable || !target_value.readable)
        differences.push_back("value of " + name + " cannot be read: " +
                              (source_value.readable ? "target: " + target_value.text
                                                     : "source: " + source_value.text));
      else if (source_value.text != target_value.text)
        differences.push_back("value of " + name + " differs");
      const bool expected_persistent = expected[i].pttl < 0;
      const bool actual_persistent = actual[i].pttl < 0;
      if (expected_persistent != actual_persistent ||
          (!expected_persistent &&
           std::llabs(expected[i].pttl - actual[i].pttl) > ttl_tolerance.count()))
        differences.push_back("ttl of " + name + ": " + std::to_string(expected[i].pttl) +
                              " ms != " + std::to_string(actual[i].pttl) + " ms");
    }
  }
  for (const auto& key : target.scan_all_keys())
    if (!source_set.contains(key)) differences.push_back("extra on target: " + printable_key(key));
  return differences;
}

std::vector<std::string> compare_databases(Connection& source, Connection& target,
                                           std::chrono::milliseconds ttl_tolerance) {
  StandaloneKeyspace source_keyspace(source);
  StandaloneKeyspace target_keyspace(target);
  return compare_databases(source_keyspace, target_keyspace, ttl_tolerance);
}

std::string summarize(const std::vector<std::string>& differences, std::size_t max) {
  std::string text = std::to_string(differences.size()) + " difference(s)";
  for (std::size_t i = 0; i < differences.size() && i < max; ++i) text += "\n  " + differences[i];
  return text;
}

}  // namespace riot::test
