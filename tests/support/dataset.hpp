#pragma once
// Test data and an independent check that two databases hold the same data.
//
// The comparison reads values by type with ordinary commands (GET, HGETALL,
// LRANGE, SMEMBERS, ZRANGE, XRANGE, XINFO) — it never trusts DUMP, so it
// checks riot's copy with code that shares nothing with riot's own path.
//
// Both the writers and the comparison work on a Keyspace: one standalone
// database (StandaloneKeyspace, or a plain redis::Connection) or a cluster
// (ClusterKeyspace, support/cluster_keyspace.hpp), whose commands are routed
// by key with the tests' own slot function.

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"

namespace riot::test {

// A batch of commands, each bound to the key that routes it (on a cluster,
// the commands go to the master of the key's slot, pipelined per master).
// The arguments are copied into one buffer.
class KeyedCommands {
 public:
  // A command on `key` (for commands whose key is not the second argument:
  // XGROUP CREATE key..., XREADGROUP ... STREAMS key >).
  void add(std::string_view key, std::initializer_list<std::string_view> args);
  void add(std::string_view key, std::span<const std::string_view> args);
  // A command whose key is its second argument (SET key ..., HSET key ...).
  void add(std::initializer_list<std::string_view> args);

  std::size_t size() const noexcept { return keys_.size(); }
  bool empty() const noexcept { return keys_.empty(); }
  void clear() noexcept;

  std::string_view key(std::size_t index) const;
  // The arguments of command `index`, viewing this batch's buffer.
  void args(std::size_t index, std::vector<std::string_view>& out) const;

 private:
  struct Span {
    std::size_t offset;
    std::size_t size;
  };
  std::string_view view(Span span) const { return {bytes_.data() + span.offset, span.size}; }
  Span store(std::string_view piece);

  std::string bytes_;
  std::vector<Span> keys_;
  std::vector<Span> args_;              // every argument of every command
  std::vector<std::size_t> first_arg_;  // per command, index into args_
};

// One logical database: a standalone server's database or a whole cluster.
// Used by one thread at a time.
class Keyspace {
 public:
  virtual ~Keyspace() = default;

  // Every key (SCAN; over every master of a cluster, without duplicates).
  virtual std::vector<std::string> scan_all_keys() = 0;
  // The connection to the server that holds `key` now.
  virtual redis::Connection& connection_for_key(std::string_view key) = 0;
  // One command on `key`'s server (a cluster follows MOVED and ASK). Error
  // replies are returned, not thrown.
  virtual redis::Reply command_on_key(std::string_view key,
                                      std::span<const std::string_view> args) = 0;
  // Every command, routed by its key and pipelined per server; one reply per
  // command, in the batch's order. Error replies are returned, not thrown.
  virtual std::vector<redis::Reply> pipeline(const KeyedCommands& commands) = 0;
  // The number of keys (DBSIZE, summed over the masters of a cluster).
  virtual std::size_t key_count() = 0;
  // Forgets what is known of the topology (a cluster's slot map) and any
  // connection that may be broken; a no-op for a standalone database.
  virtual void refresh() {}
  // "standalone 127.0.0.1:6379", "cluster via 127.0.0.1:7000": for messages.
  virtual std::string describe() const = 0;

  // A command routed by its second argument (the key of most commands).
  redis::Reply command(std::initializer_list<std::string_view> args);
  // The same, throwing redis::ReplyError for an error reply.
  redis::Reply checked(std::initializer_list<std::string_view> args);
  redis::Reply checked_on_key(std::string_view key, std::initializer_list<std::string_view> args);
};

// A standalone database through a connection the caller owns.
class StandaloneKeyspace final : public Keyspace {
 public:
  explicit StandaloneKeyspace(redis::Connection& connection) : connection_(connection) {}

  std::vector<std::string> scan_all_keys() override;
  redis::Connection& connection_for_key(std::string_view) override { return connection_; }
  redis::Reply command_on_key(std::string_view key,
                              std::span<const std::string_view> args) override;
  std::vector<redis::Reply> pipeline(const KeyedCommands& commands) override;
  std::size_t key_count() override;
  std::string describe() const override;

 private:
  redis::Connection& connection_;
};

struct DatasetOptions {
  bool large_values = true;  // a 10 MB string, a 100k-field hash, a 100k-element list...
  std::size_t small_strings = 1000;
  unsigned seed = 42;
};

// Writes every core type: strings (empty, integer-encoded, binary, large),
// hashes, lists, sets (intset and strings), sorted sets (with -inf/inf and
// fractional scores), streams with consumer groups and pending entries,
// binary keys (NUL, CR/LF, 0xff), keys with and without TTLs. Returns the
// number of keys in the database afterwards. The same options write the
// same data whatever the keyspace, so a cluster and a standalone server
// written alike compare equal.
std::size_t write_every_type_dataset(Keyspace& keyspace, const DatasetOptions& options = {});
std::size_t write_every_type_dataset(redis::Connection& connection,
                                     const DatasetOptions& options = {});

// `count` string keys "<prefix><i>" of `value_size` random bytes, pipelined
// (per master on a cluster).
void write_strings(Keyspace& keyspace, std::size_t count, std::size_t value_size,
                   const std::string& prefix = "key:");
void write_strings(redis::Connection& connection, std::size_t count, std::size_t value_size,
                   const std::string& prefix = "key:");

// Every key of the connection's database, via SCAN.
std::vector<std::string> scan_all_keys(redis::Connection& connection);

// Every difference between the two databases: keys missing on the target,
// extra keys, type, value and TTL mismatches (TTLs must agree within
// `ttl_tolerance`; a persistent key must stay persistent). Empty when equal.
// Either side may be a standalone database or a cluster. Reads are pipelined
// in batches; a key the source loses while it is compared (expired) is
// skipped, a value that cannot be read is reported as a difference.
std::vector<std::string> compare_databases(
    Keyspace& source, Keyspace& target,
    std::chrono::milliseconds ttl_tolerance = std::chrono::seconds(5));
std::vector<std::string> compare_databases(
    redis::Connection& source, redis::Connection& target,
    std::chrono::milliseconds ttl_tolerance = std::chrono::seconds(5));

// Reads one key as a canonical text (type-tagged) for comparison.
std::string canonical_value(Keyspace& keyspace, const std::string& key);
std::string canonical_value(redis::Connection& connection, const std::string& key);

// Joins the first `max` differences for an assertion message.
std::string summarize(const std::vector<std::string>& differences, std::size_t max = 20);

}  // namespace riot::test
