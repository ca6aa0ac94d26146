#pragma once
// The tests' own live-change writer: it changes a source database (a
// standalone server or a cluster) from a thread of its own while riot follows
// the changes, so that a test can then compare both databases with
// compare_databases (support/dataset.hpp) and find them equal.
//
// Two modes:
// - mixed: a seeded mix of commands on every core type and of the generic
//   commands that change keys without writing a value: SET/APPEND/INCR,
//   HSET/HDEL, LPUSH/RPOP/LSET/LTRIM, SADD/SREM, ZADD/ZREM/ZINCRBY,
//   XADD/XTRIM/XGROUP CREATE/XREADGROUP/XACK, DEL, UNLINK, EXPIRE with long
//   TTLs and PEXPIRE with short ones that expire during the run, PERSIST,
//   RENAME, MOVE to another database, COPY, DUMP + RESTORE; a fifth of the keys
//   are binary (NUL, CR/LF, 0xff) and every value is random bytes.
// - same_key: one key per type rewritten thousands of times in a row, so that
//   its final value (and TTL) depends on the order of the writes.
//
// The writer never models what the source should hold: the source is the
// truth and the test compares the target with it. Its report says what it
// sent, to prove that a run covered what it claims to cover.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/dataset.hpp"

namespace riot::test {

class RedisServer;
class RedisCluster;

enum class LiveWriterMode { mixed, same_key };

struct LiveWriterOptions {
  LiveWriterMode mode = LiveWriterMode::mixed;
  unsigned seed = 1;
  // Commands per second, on average over the run; 0: as fast as the server answers.
  double rate = 0;
  // Commands per round trip (one pipeline).
  std::size_t batch = 20;
  // mixed: the writer ends by itself after this many commands; 0: only stop() ends it.
  std::size_t max_commands = 0;
  // mixed: distinct keys per type. A small key space rewrites, renames and
  // deletes the same keys often.
  std::size_t keys_per_type = 64;
  // mixed: the database MOVE sends keys to; -1: no MOVE. Ignored (no MOVE) on a
  // cluster, which has database 0 only.
  int move_db = 1;
  // same_key: how many times each type's key is rewritten in a row.
  std::size_t rewrites_per_key = 2000;
  // Every key the writer touches starts with this prefix.
  std::string prefix = "live:";
  // mixed: PEXPIRE's short TTLs, drawn between these (they expire during a run).
  std::chrono::milliseconds short_ttl_min{50};
  std::chrono::milliseconds short_ttl_max{1500};
};

// What a writer did.
struct LiveWriterReport {
  std::size_t commands = 0;  // sent and answered
  // Commands answered with an error the mix expects now and then: RENAME or
  // LSET of a key that is gone, XGROUP CREATE of a group that exists,
  // XREADGROUP on a stream without the group, COPY of a key onto itself.
  std::size_t expected_errors = 0;
  // Any other error reply (the first ten): a bug in the writer, or a server
  // that refused a command. A test of a healthy source expects none.
  std::vector<std::string> unexpected_errors;
  std::size_t unexpected_error_count = 0;
  // Batches whose connection was lost (a failover, a killed node): their
  // commands may or may not have run; the writer reconnects and goes on.
  std::size_t lost_batches = 0;
  // Why the writer stopped before it was asked to, empty when it did not.
  std::string failure;
  std::map<std::string, std::size_t> per_command;  // "SET" -> commands sent
  std::chrono::steady_clock::duration elapsed{};

  std::size_t count(std::string_view command) const;
  // "12000 commands in 3.0 s (APPEND 310, COPY 120, ...), 40 expected errors, ..."
  std::string describe() const;
};

class CommandMix;

class LiveWriter {
 public:
  // Writes to database 0 of a standalone server.
  explicit LiveWriter(const RedisServer& server, LiveWriterOptions options = {});
  // Writes to the server `connection` reaches (for a sentinel URI, the master
  // the sentinels name, followed through failovers by its reconnects).
  explicit LiveWriter(redis::ConnectionOptions connection, LiveWriterOptions options = {});
  // Writes to a cluster, following MOVED, ASK and failovers (support/cluster_keyspace).
  explicit LiveWriter(RedisCluster& cluster, LiveWriterOptions options = {});
  ~LiveWriter();  // stops the thread
  LiveWriter(const LiveWriter&) = delete;
  LiveWriter& operator=(const LiveWriter&) = delete;

  // Writes from a thread of its own until stop(), or until the work is done
  // (same_key mode, max_commands).
  void start();
  // Asks the thread to stop after its current batch, joins it, and reports.
  LiveWriterReport stop();
  // Joins a writer that ends by itself, and reports.
  LiveWriterReport wait();
  // Writes in the calling thread until the work is done (no start()).
  LiveWriterReport run();

  // Commands answered so far; callable from any thread.
  std::size_t commands_sent() const noexcept { return sent_; }
  // Blocks until `count` commands were answered; false when the writer ended
  // before (its report says why).
  bool wait_for_commands(std::size_t count);

 private:
  LiveWriter(std::unique_ptr<redis::Connection> connection, std::unique_ptr<Keyspace> keyspace,
             LiveWriterOptions options);
  void write_until_done();
  void fill(KeyedCommands& batch);  // the next batch of the mix
  void send(KeyedCommands& batch, std::vector<redis::Reply>& replies);
  void tally(const KeyedCommands& batch, const std::vector<redis::Reply>& replies);

  LiveWriterOptions options_;
  std::unique_ptr<redis::Connection> connection_;  // standalone only: the keyspace's connection
  std::unique_ptr<Keyspace> keyspace_;
  std::unique_ptr<CommandMix> mix_;
  LiveWriterReport report_;  // written by the writing thread only, read once it ended

  std::atomic<bool> stop_requested_{false};
  std::atomic<std::size_t> sent_{0};
  std::mutex mutex_;  // guards ended_, for wait_for_commands
  std::condition_variable progressed_;
  bool ended_ = false;
  std::thread thread_;
};

}  // namespace riot::test
