// The independent comparison of two databases (see dataset.hpp).
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "riot/record.hpp"
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

std::string canonical_stream(Connection& c, const std::string& key) {
  std::string out;
  const Reply entries = c.checked({"XRANGE", key, "-", "+"});
  for (const auto& entry : entries.elements) {
    append_piece(out, entry.elements.at(0).str);
    out += join_in_order(entry.elements.at(1));
  }
  const Reply stream_info = c.checked({"XINFO", "STREAM", key});
  append_piece(out,
               "last-generated-id=" + reply_text(info_field(stream_info, "last-generated-id")));
  const Reply groups = c.checked({"XINFO", "GROUPS", key});
  std::vector<std::string> group_texts;
  for (const auto& group : groups.elements) {
    const std::string name = reply_text(info_field(group, "name"));
    std::string text = "group " + name +
                       " consumers=" + reply_text(info_field(group, "consumers")) +
                       " pending=" + reply_text(info_field(group, "pending")) +
                       " last-delivered=" + reply_text(info_field(group, "last-delivered-id"));
    const Reply pending = c.checked({"XPENDING", key, name, "-", "+", "1000000"});
    for (const auto& entry : pending.elements)  // id, consumer, idle ms (varies), deliveries
      text += " [" + entry.elements.at(0).str + " " + entry.elements.at(1).str + " " +
              std::to_string(entry.elements.at(3).integer) + "]";
    group_texts.push_back(std::move(text));
  }
  return out + join_sorted(std::move(group_texts));
}

struct KeyState {
  std::string type;
  std::int64_t pttl = -2;
};

KeyState key_state(Connection& c, const std::string& key) {
  return {c.checked({"TYPE", key}).str, c.checked({"PTTL", key}).integer};
}

}  // namespace

std::string canonical_value(Connection& c, const std::string& key) {
  const std::string type = c.checked({"TYPE", key}).str;
  if (type == "string") return "string:" + c.checked({"GET", key}).str;
  if (type == "hash") return "hash:" + join_pairs_sorted(c.checked({"HGETALL", key}));
  if (type == "list") return "list:" + join_in_order(c.checked({"LRANGE", key, "0", "-1"}));
  if (type == "set") {
    std::vector<std::string> members;
    for (auto& member : c.checked({"SMEMBERS", key}).elements) members.push_back(member.str);
    return "set:" + join_sorted(std::move(members));
  }
  if (type == "zset")
    return "zset:" + join_in_order(c.checked({"ZRANGE", key, "0", "-1", "WITHSCORES"}));
  if (type == "stream") return "stream:" + canonical_stream(c, key);
  if (type == "none") return "none";
  throw std::runtime_error("canonical_value: unsupported type " + type);
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

std::vector<std::string> compare_databases(Connection& source, Connection& target,
                                           std::chrono::milliseconds ttl_tolerance) {
  std::vector<std::string> differences;
  const std::vector<std::string> source_keys = scan_all_keys(source);
  const std::set<std::string> source_set(source_keys.begin(), source_keys.end());
  for (const auto& key : source_keys) {
    const std::string name = printable_key(key);
    const KeyState expected = key_state(source, key);
    const KeyState actual = key_state(target, key);
    if (actual.type == "none") {
      differences.push_back("missing on target: " + name);
      continue;
    }
    if (expected.type != actual.type) {
      differences.push_back("type of " + name + ": " + expected.type + " != " + actual.type);
      continue;
    }
    if (canonical_value(source, key) != canonical_value(target, key))
      differences.push_back("value of " + name + " differs");
    const bool expected_persistent = expected.pttl < 0;
    const bool actual_persistent = actual.pttl < 0;
    if (expected_persistent != actual_persistent ||
        (!expected_persistent && std::llabs(expected.pttl - actual.pttl) > ttl_tolerance.count()))
      differences.push_back("ttl of " + name + ": " + std::to_string(expected.pttl) +
                            " ms != " + std::to_string(actual.pttl) + " ms");
  }
  for (const auto& key : scan_all_keys(target))
    if (!source_set.contains(key)) differences.push_back("extra on target: " + printable_key(key));
  return differences;
}

std::string summarize(const std::vector<std::string>& differences, std::size_t max) {
  std::string text = std::to_string(differences.size()) + " difference(s)";
  for (std::size_t i = 0; i < differences.size() && i < max; ++i) text += "\n  " + differences[i];
  return text;
}

}  // namespace riot::test
