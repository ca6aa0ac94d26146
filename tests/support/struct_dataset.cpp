#include "support/struct_dataset.hpp"

#include <string_view>

namespace riot::test {
namespace {

// Bytes every value may hold: NUL, CR/LF, 0xff.
std::string binary_value(std::size_t i, std::size_t size) {
  std::string value(size, '\0');
  for (std::size_t n = 0; n < size; ++n) value[n] = static_cast<char>((i * 131 + n * 7) % 256);
  if (size >= 4) value.replace(0, 4, std::string("\0\r\n\xff", 4));
  return value;
}

// Sends `commands` and clears it once it holds `limit` commands (or at once).
void flush(Keyspace& keyspace, KeyedCommands& commands, std::size_t limit = 0) {
  if (commands.size() < limit || commands.empty()) return;
  for (const redis::Reply& reply : keyspace.pipeline(commands)) {
    if (reply.is_error()) throw redis::ReplyError(keyspace.describe(), reply.str);
  }
  commands.clear();
}

}  // namespace

std::string binary_key(const std::string& name) {
  return std::string("bin\0\r\n\xff{", 8) + name + "}";
}

void write_core_types(Keyspace& keyspace, const std::string& prefix) {
  KeyedCommands commands;
  const std::string bin = binary_value(1, 64);
  commands.add({"SET", prefix + "string:empty", ""});
  commands.add({"SET", prefix + "string:int", "12345"});
  commands.add({"SET", prefix + "string:binary", bin});
  commands.add({"SET", prefix + "string:ttl", "expires", "PX", "600000"});
  commands.add({"SET", binary_key(prefix + "string"), bin});
  commands.add({"HSET", prefix + "hash:one", "f", "v"});
  commands.add({"HSET", binary_key(prefix + "hash"), bin, bin, "", "empty field", "e", ""});
  commands.add({"HSET", prefix + "hash:ttl", "a", "1", "b", "2"});
  commands.add({"PEXPIRE", prefix + "hash:ttl", "900000"});
  commands.add({"RPUSH", prefix + "list:one", "only"});
  commands.add({"RPUSH", binary_key(prefix + "list"), bin, "", bin, "dup", "dup"});
  commands.add({"SADD", prefix + "set:ints", "1", "2", "3", "-7"});
  commands.add({"SADD", binary_key(prefix + "set"), bin, "", "m"});
  commands.add({"ZADD", prefix + "zset:scores", "-inf", "low", "inf", "high", "0.1", "tenth", "3",
                "three", "-2.5e-300", "tiny"});
  commands.add({"ZADD", binary_key(prefix + "zset"), "1", bin, "2", ""});
  commands.add({"PEXPIRE", binary_key(prefix + "zset"), "700000"});
  for (std::size_t i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    commands.add({"HSET", prefix + "hash:many", "field:" + n, binary_value(i, i % 50)});
    commands.add({"RPUSH", prefix + "list:many", binary_value(i, i % 20)});
    commands.add({"SADD", prefix + "set:many", "member:" + n});
    commands.add({"ZADD", prefix + "zset:many", std::to_string(i * 0.37), "member:" + n});
  }
  flush(keyspace, commands);
}

void write_big_keys(Keyspace& keyspace, std::size_t elements, const std::string& prefix) {
  KeyedCommands commands;
  for (std::size_t i = 0; i < elements; ++i) {
    const std::string n = std::to_string(i);
    const std::string value = binary_value(i, 16 + i % 48);
    commands.add({"HSET", prefix + "hash", "field:" + n, value});
    commands.add({"RPUSH", prefix + "list", value + n});
    commands.add({"SADD", prefix + "set", value + n});
    commands.add({"ZADD", prefix + "zset", std::to_string(static_cast<double>(i) / 3), value + n});
    flush(keyspace, commands, 4000);
  }
  commands.add({"SET", prefix + "string", binary_value(7, elements * 40)});
  flush(keyspace, commands);
}

std::vector<std::string> staging_keys(Keyspace& keyspace) {
  std::vector<std::string> found;
  for (std::string& key : keyspace.scan_all_keys()) {
    if (key.find("riot:staging:") != std::string::npos) found.push_back(std::move(key));
  }
  return found;
}

}  // namespace riot::test
