#include "support/dataset.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "riot/record.hpp"

namespace riot::test {
namespace {

using redis::CommandBuffer;
using redis::Connection;
using redis::Reply;

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(rng() & 0xff);
  return bytes;
}

// Runs a buffer of commands and fails loudly on any error reply, so a broken
// fixture never passes as "both sides equal".
void run_checked(Connection& connection, const CommandBuffer& commands) {
  std::vector<Reply> replies;
  connection.pipeline(commands, replies);
  for (const auto& reply : replies)
    if (reply.is_error()) throw std::runtime_error("dataset fixture command failed: " + reply.str);
}

// Sends a command with many arguments in chunks: `head` then `per_chunk`
// items of `items` (each item may be several arguments).
void write_chunked(Connection& connection, const std::vector<std::string>& head,
                   const std::vector<std::string>& items, std::size_t args_per_chunk) {
  CommandBuffer commands;
  for (std::size_t start = 0; start < items.size(); start += args_per_chunk) {
    std::vector<std::string_view> args(head.begin(), head.end());
    const std::size_t end = std::min(items.size(), start + args_per_chunk);
    for (std::size_t i = start; i < end; ++i) args.push_back(items[i]);
    commands.append(args);
  }
  run_checked(connection, commands);
}

void write_strings_and_binary(Connection& c, std::mt19937_64& rng, const DatasetOptions& options) {
  CommandBuffer commands;
  commands.append({"SET", "string:plain", "hello world"});
  commands.append({"SET", "string:empty", ""});
  commands.append({"SET", "string:int", "1234567"});
  const std::string binary_key("bin\0key\r\n\xff", 10);
  const std::string binary_value("\0\r\n\xff\x01value\0", 12);
  commands.append({"SET", binary_key, binary_value});
  commands.append({"SET", std::string("\xff\xfe", 2), std::string("\r\n", 2)});
  const std::string medium = random_bytes(rng, 64 * 1024);
  commands.append({"SET", "string:64k", medium});
  commands.append({"SET", "ttl:string", "expires", "EX", "3600"});
  commands.append({"SET", "ttl:string-ms", "expires", "PX", "7200500"});
  if (options.large_values) {
    const std::string ten_mb = random_bytes(rng, 10 * 1024 * 1024);
    commands.append({"SET", "string:10mb", ten_mb});
  }
  run_checked(c, commands);
}

void write_hashes(Connection& c, std::mt19937_64& rng, const DatasetOptions& options) {
  CommandBuffer commands;
  commands.append({"HSET", "hash:small", "a", "1", "b", "2", "c", "three"});
  commands.append({"HSET", std::string("hash:bin\0", 9), std::string("f\0\r\n", 4),
                   std::string("\xff\x00", 2), "plain", ""});
  commands.append({"HSET", "ttl:hash", "field", "value"});
  commands.append({"EXPIRE", "ttl:hash", "5000"});
  run_checked(c, commands);
  const std::size_t fields = options.large_values ? 100000 : 2000;
  std::vector<std::string> items;
  items.reserve(fields * 2);
  for (std::size_t i = 0; i < fields; ++i) {
    items.push_back("field:" + std::to_string(i));
    items.push_back(random_bytes(rng, 16));
  }
  write_chunked(c, {"HSET", "hash:big"}, items, 2000);
}

void write_lists(Connection& c, std::mt19937_64& rng, const DatasetOptions& options) {
  CommandBuffer commands;
  commands.append({"RPUSH", "list:small", "one", "two", "three", "two"});
  commands.append({"RPUSH", "list:bin", std::string("\0", 1), std::string("\r\n", 2), "\xff"});
  commands.append({"RPUSH", "ttl:list", "x"});
  commands.append({"PEXPIRE", "ttl:list", "9000000"});
  run_checked(c, commands);
  const std::size_t elements = options.large_values ? 100000 : 2000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < elements; ++i) items.push_back(random_bytes(rng, 8));
  write_chunked(c, {"RPUSH", "list:big"}, items, 1000);
}

void write_sets(Connection& c, std::mt19937_64& rng, const DatasetOptions& options) {
  CommandBuffer commands;
  commands.append({"SADD", "set:intset", "1", "2", "3", "-42", "9223372036854775807"});
  commands.append({"SADD", "set:strings", "apple", "banana", std::string("nul\0byte", 8)});
  run_checked(c, commands);
  const std::size_t members = options.large_values ? 50000 : 1000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < members; ++i) items.push_back(random_bytes(rng, 12));
  write_chunked(c, {"SADD", "set:big"}, items, 1000);
}

void write_sorted_sets(Connection& c, std::mt19937_64& rng, const DatasetOptions& options) {
  CommandBuffer commands;
  commands.append({"ZADD", "zset:small", "1", "one", "2.5", "two-and-half", "-3", "minus-three",
                   "-inf", "lowest", "+inf", "highest"});
  commands.append({"ZADD", "ttl:zset", "1", "a"});
  commands.append({"EXPIRE", "ttl:zset", "100000"});
  run_checked(c, commands);
  const std::size_t members = options.large_values ? 50000 : 1000;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < members; ++i) {
    items.push_back(std::to_string(static_cast<double>(rng() % 1000000) / 7.0));
    items.push_back("member:" + std::to_string(i));
  }
  write_chunked(c, {"ZADD", "zset:big"}, items, 2000);
}

void write_streams(Connection& c) {
  CommandBuffer commands;
  for (int i = 0; i < 50; ++i)
    commands.append(
        {"XADD", "stream:events", "*", "n", std::to_string(i), "bin", std::string("\0\xff", 2)});
  commands.append({"XGROUP", "CREATE", "stream:events", "readers", "0"});
  commands.append({"XGROUP", "CREATE", "stream:events", "late", "$"});
  commands.append(
      {"XREADGROUP", "GROUP", "readers", "alice", "COUNT", "10", "STREAMS", "stream:events", ">"});
  commands.append(
      {"XREADGROUP", "GROUP", "readers", "bob", "COUNT", "5", "STREAMS", "stream:events", ">"});
  commands.append({"XADD", "stream:empty", "MAXLEN", "0", "*", "k", "v"});
  run_checked(c, commands);
  // Acknowledge some of alice's entries so the pending list is partial.
  Reply pending = c.checked({"XPENDING", "stream:events", "readers", "-", "+", "3", "alice"});
  CommandBuffer acks;
  for (const auto& entry : pending.elements)
    acks.append({"XACK", "stream:events", "readers", entry.elements.at(0).str});
  run_checked(c, acks);
}

}  // namespace

void write_strings(Connection& connection, std::size_t count, std::size_t value_size,
                   const std::string& prefix) {
  std::mt19937_64 rng(count);
  CommandBuffer commands;
  for (std::size_t i = 0; i < count; ++i) {
    commands.append({"SET", prefix + std::to_string(i), random_bytes(rng, value_size)});
    if (commands.size() == 1000) {
      run_checked(connection, commands);
      commands.clear();
    }
  }
  if (!commands.empty()) run_checked(connection, commands);
}

std::size_t write_every_type_dataset(Connection& connection, const DatasetOptions& options) {
  std::mt19937_64 rng(options.seed);
  write_strings_and_binary(connection, rng, options);
  write_hashes(connection, rng, options);
  write_lists(connection, rng, options);
  write_sets(connection, rng, options);
  write_sorted_sets(connection, rng, options);
  write_streams(connection);
  write_strings(connection, options.small_strings, 32, "small:");
  return static_cast<std::size_t>(connection.checked({"DBSIZE"}).integer);
}

}  // namespace riot::test
