// A DUMP that outlives the command timeout because its key is big: the
// source runs it once, never again; the key is reported by name and size
// (from MEMORY USAGE, or from STRLEN and the like where MEMORY is renamed
// away), counted as failed, and the rest of the data is copied. A timeout
// with only small keys is a slow server: the batch is read again as usual.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "plugin_harness.hpp"
#include "riot/byte_size.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

constexpr int kExitKeysFailed = 1;
constexpr std::size_t kSmallKeys = 500;
// Random bytes: DUMP tries to compress them and checksums them, which takes
// the source seconds for 32 MiB, well beyond kTimeoutMs.
constexpr std::size_t kBigValueBytes = 32u << 20;
const std::string kTimeoutMs = "200";
// Commands slower than this (in microseconds) land in the slow log: the big
// key's DUMP does, small keys' commands do not need to.
const std::string kSlowLogConfig = "slowlog-log-slower-than 100000";

std::string random_bytes(std::size_t size) {
  std::mt19937_64 random(20240501);
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    const std::uint64_t word = random();
    for (std::size_t b = 0; b < 8; ++b) bytes[i + b] = static_cast<char>(word >> (8 * b));
  }
  return bytes;
}

// How many times the server ran DUMP on `key`, from its slow log.
std::size_t dumps_logged(const RedisServer& server, const std::string& key) {
  auto connection = server.connect();
  const redis::Reply log = connection.checked({"SLOWLOG", "GET", "-1"});
  std::size_t dumps = 0;
  for (const redis::Reply& entry : log.elements) {
    if (entry.elements.size() < 4) continue;
    const std::vector<redis::Reply>& args = entry.elements[3].elements;
    if (args.size() == 2 && args[0].str == "DUMP" && args[1].str == key) ++dumps;
  }
  return dumps;
}

// The big key is a string: the runs turn the string fast path off, since a
// GET costs the source no serialization and would not time out.
class ExpensiveDumpTest : public SnapshotTest {
 protected:
  void use_source(std::vector<std::string> config) {
    config.push_back(kSlowLogConfig);
    source_ = std::make_unique<RedisServer>(RedisServerOptions{.config = std::move(config)});
    auto connection = source_->connect();
    write_strings(connection, kSmallKeys, 100);
    connection.checked({"SET", "big", random_bytes(kBigValueBytes)});
  }

  void expect_big_key_spared(const ProcessResult& result, const std::string& size) {
    EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
    EXPECT_TRUE(result.mentions("DUMP of \"big\" (" + size + ") exceeded the " + kTimeoutMs +
                                " ms command timeout; not repeated to spare the source"))
        << result.describe();
    EXPECT_EQ(result.summary_count("keys failed"), 1) << result.describe();
    EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(kSmallKeys))
        << result.describe();
    EXPECT_TRUE(result.mentions("Failed keys, by cause:\n  1 key (\"big\"): "))
        << result.describe();

    auto target = target_->connect();
    EXPECT_EQ(target.checked({"EXISTS", "big"}).integer, 0);
    EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<std::int64_t>(kSmallKeys))
        << "every small key is copied";
    EXPECT_EQ(dumps_logged(*source_, "big"), 1u) << "the source ran the big DUMP once";
  }
};

TEST_F(ExpensiveDumpTest, ABigKeyIsDumpedOnceThenReportedByNameAndSizeAndTheRestCopied) {
  use_source({});
  // What the server says the key takes: the value plus its allocator's due.
  const auto memory = source_->connect().checked({"MEMORY", "USAGE", "big"}).integer;
  const ProcessResult result =
      replicate({"--command-timeout", kTimeoutMs, "--no-string-fast-path"});
  expect_big_key_spared(result, "~" + format_bytes(static_cast<std::uint64_t>(memory)));
}

TEST_F(ExpensiveDumpTest, WithMemoryRenamedAwayTheSizeComesFromTheKeysLength) {
  use_source({"rename-command MEMORY \"\""});
  const ProcessResult result =
      replicate({"--command-timeout", kTimeoutMs, "--no-string-fast-path"});
  // STRLEN: the value's exact length.
  expect_big_key_spared(result, "~" + format_bytes(kBigValueBytes));
}

// The reader alone, on a server that stops answering for a while: every
// attempt, the sizing included, times out until it answers again; then the
// small keys are read, none reported.
TEST(ExpensiveDumpReader, ASlowServerWithSmallKeysKeepsTheUsualRetries) {
  RedisServer server;
  auto connection = server.connect();
  write_strings(connection, 200, 100);
  TestHost host;
  auto reader =
      make_dump({{"uri", server.uri()}, {"command_timeout_ms", 100}, {"retry_delay_ms", 50}}, host);
  KeyBatch keys = key_batch(scan_all_keys(connection));

  server.pause();
  std::thread resume([&server] {
    std::this_thread::sleep_for(1s);  // several timeouts' worth
    server.resume();
  });
  RecordBatch records;
  read_all(*reader, keys, records);
  resume.join();

  EXPECT_EQ(records.size(), 200u);
  EXPECT_TRUE(host.failures().empty()) << host.failures().front().error;
}

}  // namespace
}  // namespace riot::test
