// A Redis module type replicated through a third-party datatype plugin. Both
// servers load the tests' own module (tests/support/modules: the type
// "riotblobs", an ordered list of binary blobs); riot finds the example
// plugin of docs/examples/riotblobs-datatype through --plugin-path. Its keys
// (binary names and blobs, empty values, TTLs) copy by type (codec.struct ->
// sink.struct, overwrite and merge) and by DUMP/RESTORE, and the tests read
// the target back with the module's own command. Without the plugin, or
// into a target without the module, those keys are reported as failed,
// never dropped silently.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "live_test_fixture.hpp"
#include "plugin_harness.hpp"
#include "riot/host/plugin_registry.hpp"
#include "riot/redis/command_buffer.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace riot::test {
namespace {

using Blobs = std::vector<std::string>;

constexpr int kExitKeysFailed = 1;
constexpr std::int64_t kTtlMs = 600'000;  // far beyond any run: still set when read back

struct ModuleKey {
  std::string key;
  Blobs blobs;
  std::int64_t ttl_ms = 0;  // 0: persistent
};

// What the module's keys hold on one server: each key's blobs (nothing for a
// missing key) and PTTL.
struct ModuleValue {
  std::optional<Blobs> blobs;
  std::int64_t pttl = -2;
};

// The module loaded, and keyspace notifications of every class (KEA includes
// 'd', the class of the module's own events) for live replication.
RedisServerOptions with_module() {
  return {.config = {"loadmodule " + redis_config_string(RIOT_TEST_RIOTBLOBS_MODULE),
                     "notify-keyspace-events KEA"}};
}

std::string random_bytes(std::mt19937& random, std::size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(byte(random));
  return bytes;
}

// `count` keys: every fifth with a binary name (NUL, CR/LF, 0xff), from zero
// to five blobs each (an empty value too), blobs of random bytes from empty
// to a few dozen bytes, one of 300 KB; every other key with a TTL.
std::vector<ModuleKey> module_dataset(std::size_t count, const std::string& prefix = "blobs:") {
  std::mt19937 random(11);
  std::vector<ModuleKey> keys;
  for (std::size_t i = 0; i < count; ++i) {
    ModuleKey entry;
    entry.key = prefix + (i % 5 == 0 ? std::string("bin\0\r\n\xff:", 9) : "") + std::to_string(i);
    for (std::size_t blob = 0; blob < i % 6; ++blob)
      entry.blobs.push_back(random_bytes(random, (i * 7 + blob * 13) % 40));
    entry.ttl_ms = i % 2 == 1 ? kTtlMs : 0;
    keys.push_back(std::move(entry));
  }
  keys.at(1).blobs.push_back(random_bytes(random, 300 << 10));
  return keys;
}

// RIOTBLOBS.SET and PEXPIRE of every key, pipelined.
void write_module_keys(redis::Connection& connection, const std::vector<ModuleKey>& keys) {
  redis::CommandBuffer commands;
  std::vector<std::string_view> arguments;
  for (const ModuleKey& entry : keys) {
    arguments.assign({"RIOTBLOBS.SET", entry.key});
    arguments.insert(arguments.end(), entry.blobs.begin(), entry.blobs.end());
    commands.append(arguments);
    if (entry.ttl_ms > 0) commands.append({"PEXPIRE", entry.key, std::to_string(entry.ttl_ms)});
  }
  std::vector<redis::Reply> replies;
  connection.pipeline(commands, replies);
  for (const redis::Reply& reply : replies) ASSERT_FALSE(reply.is_error()) << reply.str;
}

// RIOTBLOBS.GET and PTTL of every key, pipelined.
std::vector<ModuleValue> read_module_keys(redis::Connection& connection,
                                          const std::vector<ModuleKey>& keys) {
  redis::CommandBuffer commands;
  for (const ModuleKey& entry : keys) {
    commands.append({"RIOTBLOBS.GET", entry.key});
    commands.append({"PTTL", entry.key});
  }
  std::vector<redis::Reply> replies;
  connection.pipeline(commands, replies);
  std::vector<ModuleValue> values;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const redis::Reply& get = replies.at(2 * i);
    if (get.is_error()) throw redis::ReplyError("", "RIOTBLOBS.GET: " + get.str);
    ModuleValue value{.pttl = replies.at(2 * i + 1).integer};
    if (get.is_array()) {
      value.blobs.emplace();
      for (const redis::Reply& blob : get.elements) value.blobs->push_back(blob.str);
    }
    values.push_back(std::move(value));
  }
  return values;
}

// Every key holds exactly `expected` blobs on `connection`, with a TTL where
// the source key has one (no longer than the source's) and none elsewhere.
void expect_module_keys(redis::Connection& connection, const std::vector<ModuleKey>& keys,
                        const std::vector<Blobs>& expected) {
  const std::vector<ModuleValue> values = read_module_keys(connection, keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string name = printable_key(keys[i].key);
    ASSERT_TRUE(values[i].blobs.has_value()) << name << " is missing";
    EXPECT_EQ(*values[i].blobs, expected[i]) << name;
    if (keys[i].ttl_ms > 0) {
      EXPECT_GT(values[i].pttl, 0) << name;
      EXPECT_LE(values[i].pttl, keys[i].ttl_ms) << name;
    } else {
      EXPECT_EQ(values[i].pttl, -1) << name << " must stay persistent";
    }
  }
}

// `target` holds what `source` holds for every key of `keys`: the same blobs
// (or no key), a TTL where the source has one.
void expect_same_module_keys(redis::Connection& source, redis::Connection& target,
                             const std::vector<ModuleKey>& keys) {
  const std::vector<ModuleValue> expected = read_module_keys(source, keys);
  const std::vector<ModuleValue> actual = read_module_keys(target, keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string name = printable_key(keys[i].key);
    EXPECT_EQ(actual[i].blobs, expected[i].blobs) << name;
    EXPECT_EQ(actual[i].pttl > 0, expected[i].pttl > 0) << name << ": TTL kept or not";
  }
}

std::vector<Blobs> blobs_of(const std::vector<ModuleKey>& keys) {
  std::vector<Blobs> blobs;
  for (const ModuleKey& entry : keys) blobs.push_back(entry.blobs);
  return blobs;
}

class ModuleDatatypeTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisServer> source_ = std::make_unique<RedisServer>(with_module());
  std::unique_ptr<RedisServer> target_ = std::make_unique<RedisServer>(with_module());

  // A snapshot from source_ to target_ through `reader` and `sink`, whose
  // configuration gets `sink_config` too.
  std::string pipeline(std::string_view reader, std::string_view sink,
                       const nlohmann::json& sink_config = nlohmann::json::object()) const {
    nlohmann::json sink_settings = {{"uri", target_->uri()}};
    sink_settings.update(sink_config);
    const nlohmann::json document = {
        {"stages",
         {{"source", {{"component", "source.scan"}, {"config", {{"uri", source_->uri()}}}}},
          {"reader", {{"component", reader}, {"config", {{"uri", source_->uri()}}}}},
          {"sink", {{"component", sink}, {"config", sink_settings}}}}}};
    return document.dump();
  }
  std::string struct_pipeline(const nlohmann::json& sink_config = nlohmann::json::object()) const {
    return pipeline("codec.struct", "sink.struct", sink_config);
  }
  std::string dump_pipeline() const { return pipeline("codec.dump", "sink.restore"); }

  void expect_module_keys_fail(const std::string& document, const std::string& cause);

  // riot [--plugin-path <the example's directory>] run - ; RIOT_PLUGIN_PATH
  // cleared so that only what the test names is found.
  static ProcessResult run_pipeline(const std::string& document, bool with_plugin) {
    std::vector<std::string> args;
    if (with_plugin) args = {"--plugin-path", RIOT_EXAMPLE_DATATYPE_DIR};
    args.insert(args.end(), {"run", "-", "--progress", "none"});
    return run_riot(args, {.stdin_data = document, .environment = {{"RIOT_PLUGIN_PATH", ""}}});
  }
};

// The datatype itself, created by its factory from the plugin file as riot
// loads it and driven as a reader and a sink drive it: one pipeline for
// every key's read, one for every key's write.
TEST_F(ModuleDatatypeTest, ExampleDatatypeReadsWritesAndComparesInOnePipelinePerBatch) {
  host::PluginRegistry plugins;  // declared first: outlives what it creates
  plugins.load_directory(RIOT_EXAMPLE_DATATYPE_DIR);
  const host::LoadedComponent* loaded = plugins.find("datatype.riotblobs");
  ASSERT_NE(loaded, nullptr);
  ASSERT_EQ(loaded->info->kind(), ComponentKind::datatype);
  TestHost host;
  const std::unique_ptr<Datatype> datatype =
      std::get<DatatypeFactory>(loaded->info->factory)(nlohmann::json::object(), host);
  EXPECT_EQ(datatype->type_name(), "riotblobs");

  auto source = source_->connect();
  const std::vector<ModuleKey> keys = module_dataset(12);
  write_module_keys(source, keys);
  source.checked({"SET", "plain", "a string"});
  std::vector<std::string> names;
  for (const ModuleKey& entry : keys) names.push_back(entry.key);
  names.insert(names.end(), {"missing", "plain"});

  redis::KeyedCommands commands;
  commands.track_slots(false);
  std::vector<std::size_t> counts;
  for (const std::string& name : names) counts.push_back(datatype->append_read(name, commands));
  std::vector<redis::Reply> replies;
  source.pipeline(commands.commands(), replies);
  ASSERT_EQ(replies.size(), commands.size());

  RecordBatch records;
  std::vector<ReadStatus> statuses;
  std::span<redis::Reply> rest(replies);
  for (std::size_t i = 0; i < names.size(); ++i) {
    Record record{.key = names[i], .kind = RecordKind::value, .type = "riotblobs"};
    statuses.push_back(datatype->decode_read(rest.first(counts[i]), record));
    rest = rest.subspan(counts[i]);
    records.push_back(std::move(record));
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(statuses[i], ReadStatus::value) << printable_key(names[i]);
    EXPECT_EQ(records[i].parts, keys[i].blobs) << printable_key(names[i]);
  }
  EXPECT_EQ(statuses[keys.size()], ReadStatus::gone);
  EXPECT_EQ(statuses[keys.size() + 1], ReadStatus::wrong_type);
  records.resize(keys.size());

  // Written twice: into the empty target (what an overwrite does after its
  // DEL), then merged, which adds the blobs after those the key holds.
  auto target = target_->connect();
  for (const MergePolicy policy : {MergePolicy::overwrite, MergePolicy::merge}) {
    commands.clear();
    std::size_t appended = 0;
    for (const Record& record : records)
      appended +=
          datatype->append_write(record, record.key, WriteOptions{.merge = policy}, commands);
    ASSERT_EQ(appended, commands.size());
    replies.clear();
    target.pipeline(commands.commands(), replies);
    for (std::size_t i = 0; i < replies.size(); ++i)
      EXPECT_EQ(datatype->check_write_reply(i, replies[i]), "") << replies[i].str;
  }
  std::vector<Blobs> doubled;
  for (const ModuleKey& entry : keys) {
    doubled.push_back(entry.blobs);
    doubled.back().insert(doubled.back().end(), entry.blobs.begin(), entry.blobs.end());
  }
  const std::vector<ModuleValue> written = read_module_keys(target, keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ASSERT_TRUE(written[i].blobs.has_value()) << printable_key(keys[i].key);
    EXPECT_EQ(*written[i].blobs, doubled[i]) << printable_key(keys[i].key);
  }

  // Comparison: order and every byte matter; the detail locates the
  // difference without the key.
  const Record value{.parts = {"ab", "", std::string("x\0\r\n", 4)}};
  EXPECT_TRUE(datatype->compare(value, value).equal);
  const std::vector<std::pair<Blobs, std::string>> differences = {
      {{"ab", "", std::string("x\0\r\n\xff", 5)}, "blob 2: 4 bytes vs 5"},
      {{"ab", "", std::string("y\0\r\n", 4)}, "blob 2 differs"},
      {{"", "ab", std::string("x\0\r\n", 4)}, "blob 0: 2 bytes vs 0"},
      {{"ab", ""}, "length 3 vs 2"},
  };
  for (const auto& [parts, detail] : differences) {
    const ValueComparison comparison = datatype->compare(value, Record{.parts = parts});
    EXPECT_FALSE(comparison.equal) << detail;
    EXPECT_EQ(comparison.detail, detail);
  }
}

// By type, with other types beside them: every module key lands with its
// blobs and TTL, and the core types still copy.
TEST_F(ModuleDatatypeTest, StructPipelineCopiesModuleKeysThroughThePlugin) {
  auto source = source_->connect();
  const std::vector<ModuleKey> keys = module_dataset(200);
  write_module_keys(source, keys);
  source.checked({"SET", "plain", std::string("a\0string", 8)});
  source.checked({"HSET", "hash", "field", "value"});

  const ProcessResult result = run_pipeline(struct_pipeline(), true);

  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  expect_module_keys(target, keys, blobs_of(keys));
  for (const std::string key : {"plain", "hash"})
    EXPECT_EQ(canonical_value(target, key), canonical_value(source, key)) << key;
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, static_cast<long long>(keys.size() + 2));
}

// Keys the target already holds: an overwrite replaces them whole (no blob
// of the old value survives), a merge appends the source's blobs to them.
TEST_F(ModuleDatatypeTest, StructPipelineOverwritesOrMergesKeysTheTargetHolds) {
  auto source = source_->connect();
  auto target = target_->connect();
  const std::vector<ModuleKey> keys = module_dataset(30);
  write_module_keys(source, keys);
  std::vector<ModuleKey> existing = keys;
  for (ModuleKey& entry : existing) {
    entry.blobs = {"old", std::string("\0old\r\n", 6)};
    entry.ttl_ms = 0;
  }

  write_module_keys(target, existing);
  const ProcessResult overwrite = run_pipeline(struct_pipeline({{"merge", "overwrite"}}), true);
  ASSERT_EQ(overwrite.exit_code, 0) << overwrite.describe();
  expect_module_keys(target, keys, blobs_of(keys));

  target.checked({"FLUSHALL"});
  write_module_keys(target, existing);
  const ProcessResult merge = run_pipeline(struct_pipeline({{"merge", "merge"}}), true);
  ASSERT_EQ(merge.exit_code, 0) << merge.describe();
  std::vector<Blobs> merged;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    merged.push_back(existing[i].blobs);
    merged.back().insert(merged.back().end(), keys[i].blobs.begin(), keys[i].blobs.end());
  }
  expect_module_keys(target, keys, merged);
}

// DUMP/RESTORE needs no plugin: the module serializes its values (rdb_save)
// and the target's module loads them (rdb_load).
TEST_F(ModuleDatatypeTest, DumpAndRestoreCopyModuleKeysWithoutThePlugin) {
  auto source = source_->connect();
  const std::vector<ModuleKey> keys = module_dataset(200);
  write_module_keys(source, keys);

  const ProcessResult result = run_pipeline(dump_pipeline(), false);

  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.summary_count("keys written"), static_cast<long long>(keys.size()));
  auto target = target_->connect();
  expect_module_keys(target, keys, blobs_of(keys));
}

// Module keys (and one string key beside them) that cannot be written: a run
// through `document` reports every module key as failed, with `cause` in its
// messages, and still copies the string.
void ModuleDatatypeTest::expect_module_keys_fail(const std::string& document,
                                                 const std::string& cause) {
  auto source = source_->connect();
  const std::vector<ModuleKey> keys = module_dataset(40);
  write_module_keys(source, keys);
  source.checked({"SET", "plain", "copied"});

  const ProcessResult result = run_pipeline(document, false);

  EXPECT_EQ(result.exit_code, kExitKeysFailed) << result.describe();
  EXPECT_EQ(result.summary_count("keys failed"), static_cast<long long>(keys.size()))
      << result.describe();
  EXPECT_TRUE(result.mentions(cause)) << result.describe();
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"GET", "plain"}).str, "copied");
  EXPECT_EQ(target.checked({"DBSIZE"}).integer, 1);
}

// No datatype for the type: the keys fail, named with their type.
TEST_F(ModuleDatatypeTest, StructPipelineWithoutThePluginReportsModuleKeysNamingTheType) {
  expect_module_keys_fail(struct_pipeline(), "riotblobs");
}

// A target without the module refuses their RESTORE: each key is reported
// with the server's error.
TEST_F(ModuleDatatypeTest, RestoreIntoATargetWithoutTheModuleReportsEveryModuleKey) {
  target_ = std::make_unique<RedisServer>();
  expect_module_keys_fail(dump_pipeline(), "RESTORE failed");
}

// Live replication: the module announces its writes (keyspace events of the
// module class), so riot follows module keys as it follows the core types:
// the scanned keys, then blobs appended, values replaced, keys deleted,
// expired and created while it runs.
class ModuleLiveTest : public ModuleDatatypeTest {
 protected:
  void follow_module_changes(std::vector<std::string> riot_args) {
    auto source = source_->connect();
    std::vector<ModuleKey> keys = module_dataset(60);
    write_module_keys(source, keys);
    auto riot = start_live(riot_args);
    ASSERT_TRUE(wait_for_subscriptions(source));

    const std::vector<ModuleKey> created = module_dataset(20, "created:");
    write_module_keys(source, created);
    redis::CommandBuffer changes;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string& key = keys[i].key;
      switch (i % 5) {
        case 0:
          changes.append({"RIOTBLOBS.APPEND", key, std::string("\0more\xff", 6), ""});
          break;
        case 1:
          changes.append({"RIOTBLOBS.SET", key, "replaced"});
          break;
        case 2:
          changes.append({"DEL", key});
          break;
        case 3:
          changes.append({"PEXPIRE", key, "100"});
          break;
        default:
          break;  // left as scanned
      }
    }
    std::vector<redis::Reply> replies;
    source.pipeline(changes, replies);
    for (const redis::Reply& reply : replies) ASSERT_FALSE(reply.is_error()) << reply.str;

    const ProcessResult result = riot->wait();  // ends by its idle timeout
    ASSERT_EQ(result.exit_code, kExitOk) << result.describe();
    EXPECT_GT(result.summary_count(kEventsReceived), 0) << result.describe();
    auto target = target_->connect();
    keys.insert(keys.end(), created.begin(), created.end());
    expect_same_module_keys(source, target, keys);
    EXPECT_EQ(target.checked({"DBSIZE"}).integer, source.checked({"DBSIZE"}).integer);
  }
};

TEST_F(ModuleLiveTest, DumpModeFollowsModuleKeys) {
  follow_module_changes(live_args(source_->uri(), target_->uri()));
}

TEST_F(ModuleLiveTest, StructModeFollowsModuleKeysThroughThePlugin) {
  std::vector<std::string> args =
      live_args(source_->uri(), target_->uri(), "live", kLiveIdleTimeout, {"--type", "struct"});
  args.insert(args.begin(), {"--plugin-path", RIOT_EXAMPLE_DATATYPE_DIR});
  follow_module_changes(args);
}

// The launcher's struct mode finds the plugin on the plugin path as a
// pipeline document does.
TEST_F(ModuleDatatypeTest, ReplicateTypeStructCopiesModuleKeysThroughThePlugin) {
  auto source = source_->connect();
  const std::vector<ModuleKey> keys = module_dataset(50);
  write_module_keys(source, keys);

  const ProcessResult result =
      run_riot({"--plugin-path", RIOT_EXAMPLE_DATATYPE_DIR, "replicate", source_->uri(),
                target_->uri(), "--type", "struct", "--progress", "none"},
               {.environment = {{"RIOT_PLUGIN_PATH", ""}}});

  ASSERT_EQ(result.exit_code, 0) << result.describe();
  auto target = target_->connect();
  expect_module_keys(target, keys, blobs_of(keys));
}

}  // namespace
}  // namespace riot::test
