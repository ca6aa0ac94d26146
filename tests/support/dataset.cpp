#include "support/dataset.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "riot/redis/errors.hpp"

namespace riot::test {
namespace {

using redis::CommandBuffer;
using redis::Connection;
using redis::Reply;

constexpr std::size_t kStringsPerBatch = 1000;
constexpr std::int64_t kFirstEntryMs = 1700000000000;  // stream entry IDs, 2023-11-14

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(rng() & 0xff);
  return bytes;
}

// Runs a batch of commands and fails loudly on any error reply, so a broken
// fixture never passes as "both sides equal".
void run_checked(Keyspace& keyspace, const KeyedCommands& commands) {
  for (const auto& reply : keyspace.pipeline(commands))
    if (reply.is_error()) throw std::runtime_error("dataset fixture command failed: " + reply.str);
}

// Sends a command with many arguments in chunks: `head` (whose second
// argument is the key) then `args_per_chunk` arguments of `items`.
void write_chunked(Keyspace& keyspace, const std::vector<std::string>& head,
                   const std::vector<std::string>& items, std::size_t args_per_chunk) {
  KeyedCommands commands;
  std::vector<std::string_view> args;
  for (std::size_t start = 0; start < items.size(); start += args_per_chunk) {
    args.assign(head.begin(), head.end());
    const std::size_t end = std::min(items.size(), start + args_per_chunk);
    for (std::size_t i = start; i < end; ++i) args.push_back(items[i]);
    commands.add(head.at(1), args);
  }
  run_checked(keyspace, commands);
}

void write_strings_and_binary(Keyspace& keyspace, std::mt19937_64& rng,
                              const DatasetOptions& options) {
  KeyedCommands commands;
  commands.add({"SET", "string:plain", "hello world"});
  commands.add({"SET", "string:empty", ""});
  commands.add({"SET", "string:int", "1234567"});
  const std::string binary_key("bin\0key\r\n\xff", 10);
  const std::string binary_value("\0\r\n\xff\x01value\0", 12);
  commands.add({"SET", binary_key, binary_value});
  commands.add({"SET", std::string("\xff\xfe", 2), std::string("\r\n", 2)});
  const std::string medium = random_bytes(rng, 64 * 1024);
  commands.add({"SET", "string:64k", medium});
  commands.add({"SET", "ttl:string", "expires", "EX", "3600"});
  commands.add({"SET", "ttl:string-ms", "expires", "PX", "7200500"});
  if (options.large_values) {
    const std::string ten_mb = random_bytes(rng, 10 * 1024 * 1024);
    commands.add({"SET", "string:10mb", ten_mb});
  }
  run_checked(keyspace, commands);
}

void write_hashes(Keyspace& keyspace, std::mt19937_64& rng, const DatasetOptions& options) {
  KeyedCommands commands;
  commands.add({"HSET", "hash:small", "a", "1", "b", "2", "c", "three"});
  commands.add({"HSET", std::string("hash:bin\0", 9), std::string("f\0\r\n", 4),
                std::string("\xff\x00", 2), "plain", ""});
  commands.add({"HSET", "ttl:hash", "field", "value"});
  commands.add({"EXPIRE", "ttl:hash", "5000"});
  run_checked(keyspace, commands);
  const std::size_t fields = options.large_values ? 100000 : 2000;
  std::vector<std::string> items;
  items.reserve(fields * 2);
  for (std::size_t i = 0; i < fields; ++i) {
    items.push_back("field:" + std::to_string(i));
    items.push_back(random_bytes(rng, 16));
  }
  write_chunked(keyspace, {"HSET", "hash:big"}, items, 2000);
}

void write_lists(Keyspace& keyspace, std::mt19937_64& rng, const DatasetOptions& options) {
  KeyedCommands commands;
  commands.add({"RPUSH", "list:small", "one", "two", "three", "two"});
  commands.add({"RPUSH", "list:bin", std::string("\0", 1), std::string("\r\n", 2), "\xff"});
  commands.add({"RPUSH", "ttl:list", "x"});
  commands.add({"PEXPIRE", "ttl:list", "9000000"});
  run_checked(keyspace, commands);
  const std::size_t elements = options.large_values ? 100000 : 2000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < elements; ++i) items.push_back(random_bytes(rng, 8));
  write_chunked(keyspace, {"RPUSH", "list:big"}, items, 1000);
}

void write_sets(Keyspace& keyspace, std::mt19937_64& rng, const DatasetOptions& options) {
  KeyedCommands commands;
  commands.add({"SADD", "set:intset", "1", "2", "3", "-42", "9223372036854775807"});
  commands.add({"SADD", "set:strings", "apple", "banana", std::string("nul\0byte", 8)});
  run_checked(keyspace, commands);
  const std::size_t members = options.large_values ? 50000 : 1000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < members; ++i) items.push_back(random_bytes(rng, 12));
  write_chunked(keyspace, {"SADD", "set:big"}, items, 1000);
}

void write_sorted_sets(Keyspace& keyspace, std::mt19937_64& rng, const DatasetOptions& options) {
  KeyedCommands commands;
  commands.add({"ZADD", "zset:small", "1", "one", "2.5", "two-and-half", "-3", "minus-three",
                "-inf", "lowest", "+inf", "highest"});
  commands.add({"ZADD", "ttl:zset", "1", "a"});
  commands.add({"EXPIRE", "ttl:zset", "100000"});
  run_checked(keyspace, commands);
  const std::size_t members = options.large_values ? 50000 : 1000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < members; ++i) {
    items.push_back(std::to_string(static_cast<double>(rng() % 1000000) / 7.0));
    items.push_back("member:" + std::to_string(i));
  }
  write_chunked(keyspace, {"ZADD", "zset:big"}, items, 2000);
}

void write_streams(Keyspace& keyspace) {
  constexpr std::string_view kStream = "stream:events";
  KeyedCommands commands;
  // Explicit entry IDs: the same options write the same stream anywhere (a
  // dataset written into two databases compares equal).
  for (int i = 0; i < 50; ++i)
    commands.add({"XADD", kStream, std::to_string(kFirstEntryMs + i) + "-0", "n", std::to_string(i),
                  "bin", std::string("\0\xff", 2)});
  commands.add(kStream, {"XGROUP", "CREATE", kStream, "readers", "0"});
  commands.add(kStream, {"XGROUP", "CREATE", kStream, "late", "$"});
  commands.add(kStream,
               {"XREADGROUP", "GROUP", "readers", "alice", "COUNT", "10", "STREAMS", kStream, ">"});
  commands.add(kStream,
               {"XREADGROUP", "GROUP", "readers", "bob", "COUNT", "5", "STREAMS", kStream, ">"});
  commands.add(
      {"XADD", "stream:empty", "MAXLEN", "0", std::to_string(kFirstEntryMs) + "-1", "k", "v"});
  run_checked(keyspace, commands);
  // Acknowledge some of alice's entries so the pending list is partial.
  const Reply pending = keyspace.checked({"XPENDING", kStream, "readers", "-", "+", "3", "alice"});
  KeyedCommands acks;
  for (const auto& entry : pending.elements)
    acks.add({"XACK", kStream, "readers", entry.elements.at(0).str});
  run_checked(keyspace, acks);
}

}  // namespace

// --- KeyedCommands ----------------------------------------------------------

KeyedCommands::Span KeyedCommands::store(std::string_view piece) {
  const Span span{bytes_.size(), piece.size()};
  bytes_.append(piece);
  return span;
}

void KeyedCommands::add(std::string_view key, std::span<const std::string_view> args) {
  if (args.empty()) throw std::invalid_argument("KeyedCommands: a command needs arguments");
  keys_.push_back(store(key));
  first_arg_.push_back(args_.size());
  for (const auto arg : args) args_.push_back(store(arg));
}

void KeyedCommands::add(std::string_view key, std::initializer_list<std::string_view> args) {
  add(key, std::span<const std::string_view>(args.begin(), args.size()));
}

void KeyedCommands::add(std::initializer_list<std::string_view> args) {
  if (args.size() < 2)
    throw std::invalid_argument("KeyedCommands: a command routed by its key needs a key argument");
  add(args.begin()[1], args);
}

void KeyedCommands::clear() noexcept {
  bytes_.clear();
  keys_.clear();
  args_.clear();
  first_arg_.clear();
}

std::string_view KeyedCommands::key(std::size_t index) const {
  return view(keys_.at(index));
}

void KeyedCommands::args(std::size_t index, std::vector<std::string_view>& out) const {
  const std::size_t first = first_arg_.at(index);
  const std::size_t end = index + 1 < first_arg_.size() ? first_arg_[index + 1] : args_.size();
  out.clear();
  for (std::size_t i = first; i < end; ++i) out.push_back(view(args_[i]));
}

// --- Keyspace ---------------------------------------------------------------

Reply Keyspace::command(std::initializer_list<std::string_view> args) {
  if (args.size() < 2)
    throw std::invalid_argument("Keyspace::command: a command routed by its key needs a key");
  return command_on_key(args.begin()[1],
                        std::span<const std::string_view>(args.begin(), args.size()));
}

Reply Keyspace::checked(std::initializer_list<std::string_view> args) {
  Reply reply = command(args);
  if (reply.is_error()) throw redis::ReplyError(describe(), reply.str);
  return reply;
}

Reply Keyspace::checked_on_key(std::string_view key, std::initializer_list<std::string_view> args) {
  Reply reply = command_on_key(key, std::span<const std::string_view>(args.begin(), args.size()));
  if (reply.is_error()) throw redis::ReplyError(describe(), reply.str);
  return reply;
}

// --- StandaloneKeyspace -----------------------------------------------------

std::vector<std::string> StandaloneKeyspace::scan_all_keys() {
  std::vector<std::string> keys = test::scan_all_keys(connection_);
  // SCAN may return a key twice (while the table is rehashed).
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Reply StandaloneKeyspace::command_on_key(std::string_view, std::span<const std::string_view> args) {
  return connection_.command(args);
}

std::vector<Reply> StandaloneKeyspace::pipeline(const KeyedCommands& commands) {
  CommandBuffer buffer;
  std::vector<std::string_view> args;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    commands.args(i, args);
    buffer.append(args);
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  if (!buffer.empty()) connection_.pipeline(buffer, replies);
  return replies;
}

std::size_t StandaloneKeyspace::key_count() {
  return static_cast<std::size_t>(connection_.checked({"DBSIZE"}).integer);
}

std::string StandaloneKeyspace::describe() const {
  return "standalone " + connection_.describe();
}

// --- Writers ----------------------------------------------------------------

void write_strings(Keyspace& keyspace, std::size_t count, std::size_t value_size,
                   const std::string& prefix) {
  std::mt19937_64 rng(count);
  KeyedCommands commands;
  for (std::size_t i = 0; i < count; ++i) {
    commands.add({"SET", prefix + std::to_string(i), random_bytes(rng, value_size)});
    if (commands.size() == kStringsPerBatch) {
      run_checked(keyspace, commands);
      commands.clear();
    }
  }
  if (!commands.empty()) run_checked(keyspace, commands);
}

void write_strings(Connection& connection, std::size_t count, std::size_t value_size,
                   const std::string& prefix) {
  StandaloneKeyspace keyspace(connection);
  write_strings(keyspace, count, value_size, prefix);
}

std::size_t write_every_type_dataset(Keyspace& keyspace, const DatasetOptions& options) {
  std::mt19937_64 rng(options.seed);
  write_strings_and_binary(keyspace, rng, options);
  write_hashes(keyspace, rng, options);
  write_lists(keyspace, rng, options);
  write_sets(keyspace, rng, options);
  write_sorted_sets(keyspace, rng, options);
  write_streams(keyspace);
  write_strings(keyspace, options.small_strings, 32, "small:");
  return keyspace.key_count();
}

std::size_t write_every_type_dataset(Connection& connection, const DatasetOptions& options) {
  StandaloneKeyspace keyspace(connection);
  return write_every_type_dataset(keyspace, options);
}

}  // namespace riot::test
