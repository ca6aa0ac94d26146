// The scan, dump, restore and null plugins driven directly through their
// factories, without the runtime: each is loaded from the build's plugin
// directory as riot loads it, configured through its own schema and run
// against real redis-server processes.

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "plugin_harness.hpp"
#include "riot/plugin.hpp"
#include "riot/redis/errors.hpp"
#include "support/dataset.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;

// Keys that break naive text handling: NUL, CR/LF, 0xff, and the empty key.
const std::vector<std::string> kBinaryKeys{std::string("nul\0key", 7), "cr\r\nlf",
                                           std::string("\xff\xfe high", 7), ""};

std::vector<std::string> sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

Record dump_record(std::string key, std::string payload, Expiry expiry = {}) {
  return Record{.key = std::move(key),
                .kind = RecordKind::dump,
                .payload = std::move(payload),
                .expiry = expiry};
}

// An expiry `ttl_ms` from now (negative: already past).
Expiry expiry_in(std::int64_t ttl_ms) {
  return Expiry::after(ttl_ms, Expiry::Clock::now());
}

std::string escaped(const std::string& key) {
  return printable_key(key);
}

// --- descriptors ------------------------------------------------------------

TEST(PluginDescriptors, EachRegistersOneDocumentedComponentWithAClosedSchema) {
  const std::vector<std::pair<std::string, ComponentKind>> expected{
      {"source.scan", ComponentKind::source},
      {"codec.dump", ComponentKind::reader},
      {"sink.restore", ComponentKind::sink},
      {"sink.null", ComponentKind::sink}};
  for (const auto& [name, kind] : expected) {
    SCOPED_TRACE(name);
    const ComponentInfo& info = component(name);
    EXPECT_EQ(info.kind(), kind);
    EXPECT_FALSE(info.description.empty());
    EXPECT_EQ(info.schema.value("additionalProperties", true), false);
    for (const auto& [property, schema] : info.schema.at("properties").items()) {
      EXPECT_FALSE(schema.value("description", "").empty()) << property << " has no description";
    }
    const bool connects = name != "sink.null";
    EXPECT_EQ(info.schema.at("properties").contains("uri"), connects);
  }
}

// --- source.scan --------------------------------------------------------------

TEST(ScanSource, EmitsEveryKeyOfItsDatabaseAsScanEvents) {
  RedisServer server;
  auto db3 = server.connect(3);
  std::vector<std::string> expected = kBinaryKeys;
  for (int i = 0; i < 250; ++i) expected.push_back("key:" + std::to_string(i));
  for (const std::string& key : expected) db3.checked({"SET", key, "v"});
  server.connect(0).checked({"SET", "in-db-0", "v"});  // another database: not scanned

  TestHost host;
  auto scan = make_scan({{"uri", server.uri(3)}, {"count", 20}}, host);
  EXPECT_EQ(scan->estimate_total(), expected.size());
  CollectingWriter out;
  run_every_partition(*scan, out);

  EXPECT_EQ(out.sorted_keys(), sorted(expected));
  EXPECT_GT(out.batches.size(), 1u) << "COUNT 20 over 254 keys takes several pages";
  for (const KeyBatch& batch : out.batches) {
    EXPECT_FALSE(batch.empty());
    for (const KeyEvent& event : batch) {
      EXPECT_EQ(event.db, 3);
      EXPECT_EQ(event.origin, KeyOrigin::scan);
      EXPECT_EQ(event.event, KeyEventType::set);
    }
  }
  EXPECT_EQ(host.metrics().keys_scanned.load(), expected.size());
}

TEST(ScanSource, MatchSelectsKeysByPattern) {
  RedisServer server;
  auto connection = server.connect();
  std::vector<std::string> users;
  for (int i = 0; i < 50; ++i) {
    users.push_back("user:" + std::to_string(i));
    connection.checked({"SET", users.back(), "v"});
    connection.checked({"SET", "order:" + std::to_string(i), "v"});
  }

  TestHost host;
  auto scan = make_scan({{"uri", server.uri()}, {"match", "user:*"}}, host);
  CollectingWriter out;
  run_every_partition(*scan, out);

  EXPECT_EQ(out.sorted_keys(), sorted(users));
  EXPECT_EQ(host.metrics().keys_scanned.load(), users.size());
}

TEST(ScanSource, TypeSelectsKeysByType) {
  RedisServer server;
  auto connection = server.connect();
  std::vector<std::string> hashes;
  for (int i = 0; i < 30; ++i) {
    hashes.push_back("hash:" + std::to_string(i));
    connection.checked({"HSET", hashes.back(), "field", "value"});
    connection.checked({"SET", "string:" + std::to_string(i), "v"});
    connection.checked({"RPUSH", "list:" + std::to_string(i), "a"});
  }

  TestHost host;
  auto scan = make_scan({{"uri", server.uri()}, {"type", "hash"}}, host);
  CollectingWriter out;
  run_every_partition(*scan, out);

  EXPECT_EQ(out.sorted_keys(), sorted(hashes));
}

TEST(ScanSource, StopsWhenTheNextStageRefusesABatch) {
  RedisServer server;
  auto connection = server.connect();
  for (int i = 0; i < 200; ++i) connection.checked({"SET", "key:" + std::to_string(i), "v"});

  TestHost host;
  auto scan = make_scan({{"uri", server.uri()}, {"count", 10}}, host);
  CollectingWriter out(/*accept=*/1);
  run_every_partition(*scan, out);

  EXPECT_EQ(out.batches.size(), 1u);
}

TEST(ScanSource, StopsWhenTheRunIsCancelled) {
  RedisServer server;
  auto connection = server.connect();
  for (int i = 0; i < 200; ++i) connection.checked({"SET", "key:" + std::to_string(i), "v"});

  TestHost host;
  auto scan = make_scan({{"uri", server.uri()}, {"count", 10}}, host);
  CollectingWriter out;
  out.on_push = [&host] { host.cancel(); };
  run_every_partition(*scan, out);

  EXPECT_EQ(out.batches.size(), 1u);
}

TEST(ScanSource, AWrongPasswordFailsWhenTheComponentIsCreated) {
  RedisServer server(RedisServerOptions{.password = "secret"});
  TestHost host;
  EXPECT_THROW(make_scan({{"uri", server.uri()}, {"password", "wrong"}}, host), redis::Error);
}

// --- codec.dump ---------------------------------------------------------------

TEST(DumpReader, ReadsPayloadExpiryAndType) {
  RedisServer server;
  auto connection = server.connect();
  connection.checked({"SET", "persistent", "value"});
  connection.checked({"SET", "expiring", "value", "PX", "60000"});
  connection.checked({"HSET", kBinaryKeys[0], "field", std::string("\0\r\n\xff", 4)});

  TestHost host;
  // DUMP for every key: the string fast path (GET) is tested apart.
  auto dump =
      make_dump({{"uri", server.uri()}, {"read_type", true}, {"string_fast_path", false}}, host);
  KeyBatch keys = key_batch({"persistent", "expiring", kBinaryKeys[0]});
  RecordBatch records;
  const Expiry::Clock::time_point before = Expiry::Clock::now();
  read_all(*dump, keys, records);
  const Expiry::Clock::time_point after = Expiry::Clock::now();

  ASSERT_EQ(records.size(), 3u);
  std::uint64_t bytes = 0;
  for (const Record& record : records) {
    SCOPED_TRACE(escaped(record.key));
    EXPECT_EQ(record.kind, RecordKind::dump);
    EXPECT_EQ(record.payload, connection.checked({"DUMP", record.key}).str);
    bytes += record.payload.size();
  }
  EXPECT_EQ(records[0].key, "persistent");
  EXPECT_TRUE(records[0].expiry.is_persistent());
  EXPECT_EQ(records[0].type, "string");
  EXPECT_EQ(records[1].key, "expiring");
  // PTTL was at most 60000 when read, and read after `before`; the deadline
  // is taken from the moment the read was sent, so never after after + 60 s.
  ASSERT_FALSE(records[1].expiry.is_persistent());
  EXPECT_GE(records[1].expiry.remaining_ms(before), 60000 - 1000);
  EXPECT_LE(records[1].expiry.remaining_ms(after), 60000);
  EXPECT_EQ(records[2].key, kBinaryKeys[0]);
  EXPECT_EQ(records[2].type, "hash");
  EXPECT_EQ(host.metrics().keys_read.load(), 3u);
  EXPECT_EQ(host.metrics().bytes_read.load(), bytes);
  EXPECT_EQ(host.metrics().keys_skipped.load(), 0u);
}

TEST(DumpReader, SkipsAndCountsKeysGoneBeforeTheRead) {
  RedisServer server;
  auto connection = server.connect();
  connection.checked({"SET", "present", "value"});
  connection.checked({"SET", "deleted", "value"});
  connection.checked({"DEL", "deleted"});

  TestHost host;
  auto dump = make_dump({{"uri", server.uri()}, {"string_fast_path", false}}, host);
  KeyBatch keys = key_batch({"deleted", "present", "never-existed"});
  RecordBatch records;
  read_all(*dump, keys, records);

  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "present");
  EXPECT_TRUE(records[0].type.empty()) << "TYPE is read only when read_type is set";
  EXPECT_EQ(host.metrics().keys_read.load(), 1u);
  EXPECT_EQ(host.metrics().keys_skipped.load(), 2u);
  EXPECT_TRUE(host.failures().empty());
}

// A refusal of one key (the user's key patterns leave it out) names the
// command, the key and the server's error.
TEST(DumpReader, AnErrorReplyNamesTheCommandTheKeyAndTheServerError) {
  RedisServer server;
  auto connection = server.connect();
  connection.checked({"SET", "bad\nkey", "value"});
  connection.checked({"ACL", "SETUSER", "reader", "on", ">pw", "~good:*", "+@all"});

  TestHost host;
  auto dump = make_dump({{"uri", "redis://reader:pw@127.0.0.1:" + std::to_string(server.port())},
                         {"string_fast_path", false}},
                        host);
  KeyBatch keys = key_batch({"bad\nkey"});
  RecordBatch records;
  try {
    read_all(*dump, keys, records);
    FAIL() << "expected a ReplyError";
  } catch (const redis::ReplyError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("DUMP"), std::string::npos) << message;
    EXPECT_NE(message.find("bad\\nkey"), std::string::npos) << message;
    EXPECT_NE(message.find("NOPERM"), std::string::npos) << message;
  }
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(keys[0].key, "bad\nkey") << "a failed read leaves the batch intact";
}

// A refusal about the source (DUMP renamed away) says so, with what to do,
// not about the key that met it first.
TEST(DumpReader, ARefusalOfTheCommandNamesTheSourceAndTheRemedy) {
  RedisServer server(RedisServerOptions{.config = {"rename-command DUMP \"\""}});
  server.connect().checked({"SET", "k", "value"});

  TestHost host;
  auto dump = make_dump({{"uri", server.uri()}, {"string_fast_path", false}}, host);
  KeyBatch keys = key_batch({"k"});
  RecordBatch records;
  try {
    read_all(*dump, keys, records);
    FAIL() << "expected a ServerRefusalError";
  } catch (const redis::ServerRefusalError& error) {
    EXPECT_EQ(std::string(error.what())
                  .rfind("source 127.0.0.1:" + std::to_string(server.port()) +
                             " does not know the command DUMP (ERR unknown "
                             "command 'DUMP'):",
                         0),
              0u)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("allow DUMP on SOURCE"), std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(keys[0].key, "k") << "a failed read leaves the batch intact";
}

// --- sink.restore -------------------------------------------------------------

// Runs scan -> dump -> restore the way the runtime does, batch by batch.
void copy_database(const std::string& source_uri, const std::string& target_uri, TestHost& host) {
  auto scan = make_scan({{"uri", source_uri}, {"count", 50}}, host);
  auto dump = make_dump({{"uri", source_uri}}, host);
  auto restore = make_restore({{"uri", target_uri}}, host);
  CollectingWriter scanned;
  run_every_partition(*scan, scanned);
  for (KeyBatch& keys : scanned.batches) {
    RecordBatch records;
    read_all(*dump, keys, records);
    restore->write(records);
  }
  restore->flush();
}

TEST(RestoreSink, WritesWhatDumpReadIntoAnotherServer) {
  RedisServer source_server;
  RedisServer target_server;
  auto source = source_server.connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 300});
  source.checked({"HSET", kBinaryKeys[1], "f1", "v1", "f2", std::string("\0\xff", 2)});
  source.checked({"SET", kBinaryKeys[2], std::string("\r\n\0", 3), "EX", "1000"});

  const std::int64_t key_count = source.checked({"DBSIZE"}).integer;

  TestHost host;
  copy_database(source_server.uri(), target_server.uri(2), host);

  auto target = target_server.connect(2);
  EXPECT_TRUE(host.failures().empty());
  EXPECT_EQ(host.metrics().keys_written.load(), static_cast<std::uint64_t>(key_count));
  EXPECT_EQ(host.metrics().bytes_written.load(), host.metrics().bytes_read.load());
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, key_count);
  EXPECT_EQ(target.checked({"HGETALL", kBinaryKeys[1]}).elements.size(), 4u);
  EXPECT_EQ(target.checked({"HGET", kBinaryKeys[1], "f2"}).str, std::string("\0\xff", 2));
  EXPECT_EQ(target.checked({"GET", kBinaryKeys[2]}).str, std::string("\r\n\0", 3));
  const std::int64_t ttl = target.checked({"TTL", kBinaryKeys[2]}).integer;
  EXPECT_GE(ttl, 995);
  EXPECT_LE(ttl, 1000);
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
}

TEST(RestoreSink, ReplacesAKeyTheTargetAlreadyHoldsByDefault) {
  RedisServer source_server;
  RedisServer target_server;
  source_server.connect().checked({"SET", "key", "new"});
  target_server.connect().checked({"SET", "key", "old"});

  TestHost host;
  copy_database(source_server.uri(), target_server.uri(), host);

  EXPECT_EQ(target_server.connect().checked({"GET", "key"}).str, "new");
  EXPECT_TRUE(host.failures().empty());
  EXPECT_EQ(host.metrics().keys_written.load(), 1u);
}

TEST(RestoreSink, WithoutReplaceAnExistingKeyIsLeftAloneAndCountedAndTheOthersLand) {
  RedisServer source_server;
  RedisServer target_server;
  const std::string busy_key = kBinaryKeys[0];
  auto source = source_server.connect();
  source.checked({"SET", busy_key, "new"});
  source.checked({"SET", "fresh", "value"});
  target_server.connect().checked({"SET", busy_key, "old"});

  TestHost host;
  // RESTORE without REPLACE: strings by DUMP (the fast path writes by SET).
  auto dump = make_dump({{"uri", source_server.uri()}, {"string_fast_path", false}}, host);
  auto restore = make_restore({{"uri", target_server.uri()}, {"replace", false}}, host);
  KeyBatch keys = key_batch({busy_key, "fresh"});
  RecordBatch records;
  read_all(*dump, keys, records);
  restore->write(records);

  EXPECT_TRUE(host.failures().empty());
  auto target = target_server.connect();
  EXPECT_EQ(target.checked({"GET", busy_key}).str, "old");
  EXPECT_EQ(target.checked({"GET", "fresh"}).str, "value");
  EXPECT_EQ(host.metrics().keys_written.load(), 1u);
  EXPECT_EQ(host.metrics().keys_existing.load(), 1u);
  EXPECT_EQ(host.metrics().keys_failed.load(), 0u);
}

TEST(RestoreSink, DeletesErasedKeysAndDoesNotCreateAlreadyExpiredOnes) {
  RedisServer server;
  auto connection = server.connect();
  connection.checked({"SET", "gone-on-source", "value"});
  connection.checked({"SET", "payload-source", "value"});
  std::string payload = connection.checked({"DUMP", "payload-source"}).str;

  TestHost host;
  auto restore = make_restore({{"uri", server.uri()}}, host);
  RecordBatch records;
  records.push_back(Record{.key = "gone-on-source", .kind = RecordKind::erase});
  records.push_back(dump_record("expired", payload, expiry_in(-1000)));
  records.push_back(dump_record("expiring", payload, expiry_in(60000)));
  restore->write(records);

  EXPECT_TRUE(host.failures().empty());
  EXPECT_EQ(connection.checked({"EXISTS", "gone-on-source"}).integer, 0);
  EXPECT_EQ(connection.checked({"EXISTS", "expired"}).integer, 0);
  const std::int64_t pttl = connection.checked({"PTTL", "expiring"}).integer;
  EXPECT_GT(pttl, 55000);
  EXPECT_LE(pttl, 60000);
  EXPECT_EQ(host.metrics().keys_deleted.load(), 1u);
  EXPECT_EQ(host.metrics().keys_expired.load(), 1u);
  EXPECT_EQ(host.metrics().keys_written.load(), 1u);
}

TEST(RestoreSink, ResendsTheBatchAfterLosingItsConnection) {
  RedisServer server;
  auto admin = server.connect();
  admin.checked({"SET", "payload-source", "value"});
  const std::string payload = admin.checked({"DUMP", "payload-source"}).str;

  TestHost host;
  auto restore = make_restore({{"uri", server.uri()}}, host);
  // Cuts the sink's idle connection: the next batch finds it dead.
  ASSERT_GE(admin.checked({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).integer, 1);
  RecordBatch records{dump_record("a", payload), dump_record("b", payload)};
  restore->write(records);

  EXPECT_TRUE(host.failures().empty());
  EXPECT_EQ(admin.checked({"GET", "a"}).str, "value");
  EXPECT_EQ(admin.checked({"GET", "b"}).str, "value");
  EXPECT_EQ(host.metrics().keys_written.load(), 2u);
}

TEST(RestoreSink, ReportsEveryUnacknowledgedKeyAndThrowsWhenTheTargetStaysDown) {
  RedisServer server;
  const std::string payload = [&] {
    auto connection = server.connect();
    connection.checked({"SET", "payload-source", "value"});
    return connection.checked({"DUMP", "payload-source"}).str;
  }();

  TestHost host;
  // One quick retry: the default policy would wait about 26 s in all.
  auto restore = make_restore(
      {{"uri", server.uri()}, {"connect_timeout_ms", 1000}, {"retries", 1}, {"retry_delay_ms", 10}},
      host);
  server.stop();
  RecordBatch records{dump_record("a", payload), dump_record(kBinaryKeys[1], payload),
                      Record{.key = "c", .kind = RecordKind::erase}};
  EXPECT_THROW(restore->write(records), redis::IoError);

  const auto failures = host.failures();
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0].key, "a");
  EXPECT_EQ(failures[1].key, kBinaryKeys[1]);
  EXPECT_EQ(failures[2].key, "c");
  for (const ReportedFailure& failure : failures) EXPECT_FALSE(failure.error.empty());
  EXPECT_EQ(host.metrics().keys_written.load(), 0u);
}

// --- sink.null ----------------------------------------------------------------

TEST(NullSink, CountsRecordsAsWrittenAndWritesNothing) {
  TestHost host;
  auto sink = create<SinkFactory>("sink.null", json::object(), host);
  RecordBatch records{dump_record("a", "123"), dump_record("b", "12345"),
                      Record{.key = "c", .kind = RecordKind::erase}};
  sink->write(records);
  sink->flush();

  EXPECT_EQ(host.metrics().keys_written.load(), 2u);
  EXPECT_EQ(host.metrics().bytes_written.load(), 8u);
  EXPECT_EQ(host.metrics().keys_deleted.load(), 1u);
  EXPECT_TRUE(host.failures().empty());
}

TEST(NullSink, TakesNoConnectionSettings) {
  TestHost host;
  EXPECT_THROW(create<SinkFactory>("sink.null", {{"uri", "redis://127.0.0.1:6379"}}, host),
               std::invalid_argument);
}

}  // namespace
}  // namespace riot::test
