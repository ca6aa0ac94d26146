// `riot replicate --mode compare` against real servers: two databases
// prepared with a known number of differences of every class and every type
// are reported exactly (summary counts, the diff report's keys, the
// --show-diffs lines), quick and full as each can tell; equal content built
// differently is equal; --repair and --repair-extra make the two equal;
// filters select the same keys on both sides; clusters on either side; TLS;
// a big hash compared in chunks.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compare_test_support.hpp"
#include "riot/record.hpp"
#include "snapshot_test_fixture.hpp"
#include "support/cluster_keyspace.hpp"
#include "support/redis_cluster.hpp"
#include "support/test_files.hpp"
#include "support/tls_certificates.hpp"

namespace riot::test {
namespace {

constexpr int kExitDifferences = 4;

// Enough members for the hashtable (not listpack) encodings, whose DUMP
// follows the table's order: equal content dumps differently.
constexpr int kManyParts = 300;

const std::string kBinaryKey = std::string("eq:\0\r\n\xff", 7);
const std::string kBinaryValue = std::string("\x00\xff\r\nbytes", 9);
const std::string kBinaryExtra = std::string("extra:\xff\x00", 8);

// The parts of a hash (field, value pairs), a set or a zset (score, member
// pairs), in insertion order or reversed.
std::vector<std::string> hash_parts(bool reversed, const std::string& changed_field = "") {
  std::vector<std::string> args;
  for (int n = 0; n < kManyParts; ++n) {
    const int i = reversed ? kManyParts - 1 - n : n;
    const std::string field = "field:" + std::to_string(i);
    args.push_back(field);
    args.push_back(field == changed_field ? "changed" : "value:" + std::to_string(i));
  }
  return args;
}

std::vector<std::string> set_members(bool reversed, const std::string& replaced = "") {
  std::vector<std::string> args;
  for (int n = 0; n < kManyParts; ++n) {
    const int i = reversed ? kManyParts - 1 - n : n;
    const std::string member = "member:" + std::to_string(i);
    args.push_back(member == replaced ? "other-member" : member);
  }
  return args;
}

// Every member with the same score: their order is the members' alone.
std::vector<std::string> zset_parts(bool reversed, const std::string& rescored = "") {
  std::vector<std::string> args;
  for (int n = 0; n < kManyParts; ++n) {
    const int i = reversed ? kManyParts - 1 - n : n;
    const std::string member = "member:" + std::to_string(i);
    args.push_back(member == rescored ? "2" : "1");
    args.push_back(member);
  }
  return args;
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// What the two databases are made to differ by.
struct Expected {
  std::map<std::string, std::vector<std::string>> keys;  // class -> keys, sorted
  ComparisonCounts counts;
};

class CompareTest : public SnapshotTest {
 protected:
  static constexpr int kTolerance = 1000;  // --ttl-tolerance of the prepared pair

  ProcessResult compare(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--mode", "compare"});
    return replicate(std::move(extra));
  }

  std::string report_path(const std::string& name) {
    return (make_temp_directory("compare") / name).string();
  }

  // The same keys on both sides but for the differences of `prepared`:
  // every class, every core type, binary keys and values, TTLs just inside
  // and just outside kTolerance.
  Expected prepare_differing_pair() {
    auto source = source_->connect();
    auto target = target_->connect();
    const auto both = [&](const std::vector<std::string>& args) {
      write_command(source, args);
      write_command(target, args);
    };
    // Equal.
    both({"SET", "eq:string", "hello"});
    both({"SET", kBinaryKey, kBinaryValue});
    write_command(source, with({"HSET", "eq:hash"}, hash_parts(false)));
    write_command(target, with({"HSET", "eq:hash"}, hash_parts(true)));
    write_command(source, with({"SADD", "eq:set"}, set_members(false)));
    write_command(target, with({"SADD", "eq:set"}, set_members(true)));
    write_command(source, with({"ZADD", "eq:zset"}, zset_parts(false)));
    write_command(target, with({"ZADD", "eq:zset"}, zset_parts(true)));
    both({"RPUSH", "eq:list", "a", "b", "c"});
    both({"XADD", "eq:stream", "1-1", "f", "v"});
    both({"XADD", "eq:stream", "2-1", "f", "w"});
    both({"XGROUP", "CREATE", "eq:stream", "readers", "1-1"});
    // Missing and extra.
    write_command(source, {"SET", "missing:string", "x"});
    write_command(source, {"HSET", "missing:hash", "f", "v"});
    write_command(target, {"SADD", "extra:set", "m"});
    write_command(target, {"SET", kBinaryExtra, "x"});
    // Type.
    write_command(source, {"HSET", "type:key", "f", "v"});
    write_command(target, {"SET", "type:key", "v"});
    // Values of the same size (a quick comparison sees none of them)...
    write_command(source, with({"HSET", "value:hash"}, hash_parts(false)));
    write_command(target, with({"HSET", "value:hash"}, hash_parts(true, "field:123")));
    write_command(source, with({"SADD", "value:set"}, set_members(false)));
    write_command(target, with({"SADD", "value:set"}, set_members(true, "member:7")));
    write_command(source, with({"ZADD", "value:zset"}, zset_parts(false)));
    write_command(target, with({"ZADD", "value:zset"}, zset_parts(true, "member:9")));
    write_command(source, {"RPUSH", "value:list", "a", "b", "c"});
    write_command(target, {"RPUSH", "value:list", "a", "c", "b"});
    write_command(source, {"SET", "value:string", "abcd"});
    write_command(target, {"SET", "value:string", "abce"});
    // ...a stream differing only in its group's last-delivered id...
    both({"XADD", "value:stream", "1-1", "f", "v"});
    both({"XADD", "value:stream", "2-1", "f", "w"});
    write_command(source, {"XGROUP", "CREATE", "value:stream", "readers", "1-1"});
    write_command(target, {"XGROUP", "CREATE", "value:stream", "readers", "2-1"});
    // ...and one a quick comparison sees too.
    write_command(source, {"RPUSH", "value:size", "a", "b", "c"});
    write_command(target, {"RPUSH", "value:size", "a", "b"});
    // TTLs: absolute deadlines, so the gap is exact whenever riot reads it.
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() +
                          3600 * 1000;
    const auto at = [&](long long shift) { return std::to_string(deadline + shift); };
    both({"SET", "eq:ttl-inside", "v"});
    write_command(source, {"PEXPIREAT", "eq:ttl-inside", at(0)});
    write_command(target, {"PEXPIREAT", "eq:ttl-inside", at(kTolerance - 200)});
    both({"SET", "ttl:outside", "v"});
    write_command(source, {"PEXPIREAT", "ttl:outside", at(0)});
    write_command(target, {"PEXPIREAT", "ttl:outside", at(kTolerance + 200)});
    both({"SET", "ttl:persistent", "v"});
    write_command(target, {"PEXPIREAT", "ttl:persistent", at(0)});

    Expected expected;
    expected.keys = {{"missing", {"missing:hash", "missing:string"}},
                     {"extra", {"extra:set", kBinaryExtra}},
                     {"type", {"type:key"}},
                     {"value",
                      {"value:hash", "value:list", "value:set", "value:size", "value:stream",
                       "value:string", "value:zset"}},
                     {"ttl", {"ttl:outside", "ttl:persistent"}}};
    for (auto& [name, keys] : expected.keys) std::sort(keys.begin(), keys.end());
    // eq:string, the binary key, eq:hash, eq:set, eq:zset, eq:list,
    // eq:stream, eq:ttl-inside.
    expected.counts = {
        .keys = 22, .ok = 8, .missing = 2, .type = 1, .value = 7, .ttl = 2, .extra = 2};
    return expected;
  }
};

TEST_F(CompareTest, EveryClassOfEveryTypeIsReportedExactly) {
  const Expected expected = prepare_differing_pair();
  const std::string report = report_path("full.jsonl");
  const auto result = compare(
      {"--ttl-tolerance", std::to_string(kTolerance), "--show-diffs", "--diff-report", report});
  EXPECT_EQ(result.exit_code, kExitDifferences) << result.describe();
  EXPECT_EQ(comparison_counts(result, "compare"), expected.counts) << result.describe();

  const auto differences = read_diff_report(report);
  EXPECT_EQ(keys_by_class(differences), expected.keys) << result.describe();
  for (const auto& difference : differences) {
    EXPECT_EQ(difference.pipeline, "compare");
    EXPECT_EQ(difference.pass, "compare");
    EXPECT_FALSE(difference.in_flight) << "nothing wrote the source while it was compared";
    EXPECT_FALSE(difference.detail.empty()) << difference.key;
    // The same difference on stdout, as `<class> "<printable key>" <detail>`.
    const std::string line =
        difference.difference + " \"" + printable_key(difference.key) + "\" " + difference.detail;
    EXPECT_NE(result.out.find(line + "\n"), std::string::npos) << line << "\n" << result.out;
  }
  const auto detail_of = [&](const std::string& key) {
    for (const auto& difference : differences)
      if (difference.key == key) return difference.detail;
    return std::string();
  };
  EXPECT_NE(detail_of("value:hash").find("field:123"), std::string::npos)
      << "a hash's detail names its first differing field: " << detail_of("value:hash");
  EXPECT_NE(detail_of("type:key").find("hash vs string"), std::string::npos)
      << detail_of("type:key");
  EXPECT_NE(detail_of("ttl:persistent").find("persistent"), std::string::npos)
      << detail_of("ttl:persistent");

  // A comparison changes nothing.
  auto target = target_->connect();
  EXPECT_EQ(target.checked({"EXISTS", "missing:string"}).integer, 0);
  EXPECT_EQ(target.checked({"GET", "value:string"}).str, "abce");
}

// Quick compares existence, type, TTL and sizes: the values of the same size
// are equal to it.
TEST_F(CompareTest, QuickComparisonSeesSizesNotValues) {
  Expected expected = prepare_differing_pair();
  const std::string report = report_path("quick.jsonl");
  const auto result = compare({"--compare", "quick", "--ttl-tolerance", std::to_string(kTolerance),
                               "--diff-report", report});
  EXPECT_EQ(result.exit_code, kExitDifferences) << result.describe();
  expected.keys["value"] = {"value:size"};
  expected.counts.ok += expected.counts.value - 1;
  expected.counts.value = 1;
  EXPECT_EQ(comparison_counts(result, "compare"), expected.counts) << result.describe();
  const auto differences = read_diff_report(report);
  EXPECT_EQ(keys_by_class(differences), expected.keys);
}

TEST_F(CompareTest, EqualDatabasesExitZero) {
  auto source = source_->connect();
  write_every_type_dataset(source, {.large_values = false, .small_strings = 300});
  const auto copied = replicate({"--no-verify"});
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  const long long keys = source.checked({"DBSIZE"}).integer;
  for (const char* depth : {"full", "quick"}) {
    const auto result = compare({"--compare", depth, "--show-diffs"});
    EXPECT_EQ(result.exit_code, 0) << depth << "\n" << result.describe();
    EXPECT_EQ(comparison_counts(result, "compare"), (ComparisonCounts{.keys = keys, .ok = keys}))
        << depth << "\n"
        << result.describe();
    EXPECT_TRUE(result.out.empty()) << "no difference, no line: " << result.out;
  }
}

// --repair copies what differs and leaves the target's own keys; the counts
// and the exit code are those left.
TEST_F(CompareTest, RepairMakesTheDatabasesEqual) {
  const Expected expected = prepare_differing_pair();
  const std::string tolerance = std::to_string(kTolerance);
  const auto repaired = compare({"--ttl-tolerance", tolerance, "--repair"});
  EXPECT_EQ(repaired.exit_code, kExitDifferences) << "the extras are left\n" << repaired.describe();
  EXPECT_EQ(comparison_counts(repaired, "compare"),
            (ComparisonCounts{.keys = expected.counts.keys,
                              .ok = expected.counts.keys - expected.counts.extra,
                              .extra = expected.counts.extra}))
      << repaired.describe();
  auto source = source_->connect();
  auto target = target_->connect();
  for (const auto& key : expected.keys.at("extra"))
    EXPECT_EQ(target.checked({"EXISTS", key}).integer, 1) << printable_key(key);

  const auto with_extras = compare({"--ttl-tolerance", tolerance, "--repair-extra"});
  EXPECT_EQ(with_extras.exit_code, 0) << with_extras.describe();
  EXPECT_EQ(comparison_counts(with_extras, "compare")->extra, 0) << with_extras.describe();
  const auto differences = compare_databases(source, target);
  EXPECT_TRUE(differences.empty()) << summarize(differences);
  EXPECT_EQ(compare({"--ttl-tolerance", tolerance}).exit_code, 0);
}

// The filters select the same keys on both sides: the rest of the target is
// not extra, and differences outside them are not reported.
TEST_F(CompareTest, FiltersApplyToBothSides) {
  auto source = source_->connect();
  auto target = target_->connect();
  for (auto* side : {&source, &target}) {
    write_command(*side, {"SET", "a:1", "same"});
    write_command(*side, {"HSET", "a:2", "f", "same"});
  }
  write_command(source, {"SET", "b:1", "source"});  // missing, outside the pattern
  write_command(target, {"SET", "c:1", "target"});  // extra, outside the pattern
  write_command(target, {"HSET", "b:2", "f", "v"});

  const auto pattern = compare({"--key-pattern", "a:*"});
  EXPECT_EQ(pattern.exit_code, 0) << pattern.describe();
  EXPECT_EQ(comparison_counts(pattern, "compare"), (ComparisonCounts{.keys = 2, .ok = 2}))
      << pattern.describe();

  const auto hashes = compare({"--key-type", "hash", "--show-diffs"});
  EXPECT_EQ(hashes.exit_code, kExitDifferences) << hashes.describe();
  EXPECT_EQ(comparison_counts(hashes, "compare"),
            (ComparisonCounts{.keys = 2, .ok = 1, .extra = 1}))
      << hashes.describe();
  EXPECT_NE(hashes.out.find("extra \"b:2\""), std::string::npos) << hashes.out;
}

// A big hash is compared in chunks (above --mem-limit): equal, then one
// field changed, found by name.
TEST_F(CompareTest, BigHashIsComparedInChunks) {
  auto source = source_->connect();
  constexpr int kFields = 500000;
  constexpr int kPerCommand = 10000;
  for (int from = 0; from < kFields; from += kPerCommand) {
    std::vector<std::string> args{"HSET", "big:hash"};
    for (int i = from; i < from + kPerCommand; ++i) {
      args.push_back("field:" + std::to_string(i));
      args.push_back(std::string(32, static_cast<char>('a' + i % 26)));
    }
    write_command(source, args);
  }
  const auto copied = replicate({"--no-verify", "--type", "struct", "--mem-limit", "1"});
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  const std::vector<std::string> chunked{"--mem-limit", "1", "--mem-limit-policy", "struct"};
  const auto equal = compare(chunked);
  EXPECT_EQ(equal.exit_code, 0) << equal.describe();
  EXPECT_EQ(comparison_counts(equal, "compare"), (ComparisonCounts{.keys = 1, .ok = 1}));

  auto target = target_->connect();
  target.checked({"HSET", "big:hash", "field:424242", "changed"});
  const std::string report = report_path("big.jsonl");
  const auto different = compare(with(chunked, {"--diff-report", report}));
  EXPECT_EQ(different.exit_code, kExitDifferences) << different.describe();
  const auto differences = read_diff_report(report);
  ASSERT_EQ(differences.size(), 1u) << different.describe();
  EXPECT_EQ(differences[0].difference, "value");
  EXPECT_NE(differences[0].detail.find("field:424242"), std::string::npos) << differences[0].detail;
}

// --- Clusters -------------------------------------------------------------

class CompareClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = std::make_unique<RedisCluster>(); }
  static void TearDownTestSuite() { shared_.reset(); }
  void SetUp() override { shared_->flushall(); }
  static RedisCluster& cluster() { return *shared_; }

  static ProcessResult riot(const std::string& source, const std::string& target,
                            std::vector<std::string> extra) {
    std::vector<std::string> args{"replicate", source, target, "--progress", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_riot(args);
  }

  // Copies `from` into `to` (verified clean), then deletes one key of `to`
  // and changes another, and checks that the comparison finds both.
  static void compare_after_copy(Keyspace& from, Keyspace& to, const std::string& source_uri,
                                 const std::string& target_uri) {
    write_every_type_dataset(from, {.large_values = false, .small_strings = 500});
    const auto copied = riot(source_uri, target_uri, {});
    ASSERT_EQ(copied.exit_code, 0) << copied.describe();
    const auto keys = static_cast<long long>(from.key_count());
    EXPECT_EQ(comparison_counts(copied, "verify"), (ComparisonCounts{.keys = keys, .ok = keys}))
        << copied.describe();

    to.checked_on_key("small:7", {"DEL", "small:7"});
    to.checked_on_key("small:8", {"SET", "small:8", "changed"});
    const auto compared = riot(source_uri, target_uri, {"--mode", "compare", "--show-diffs"});
    EXPECT_EQ(compared.exit_code, kExitDifferences) << compared.describe();
    EXPECT_EQ(comparison_counts(compared, "compare"),
              (ComparisonCounts{.keys = keys, .ok = keys - 2, .missing = 1, .value = 1}))
        << compared.describe();
    EXPECT_NE(compared.out.find("missing \"small:7\""), std::string::npos) << compared.out;
    EXPECT_NE(compared.out.find("value \"small:8\""), std::string::npos) << compared.out;
  }

  static inline std::unique_ptr<RedisCluster> shared_;
};

TEST_F(CompareClusterTest, ClusterSourceAgainstAStandaloneTarget) {
  RedisServer target;
  ClusterKeyspace source(cluster());
  auto connection = target.connect();
  StandaloneKeyspace target_keys(connection);
  compare_after_copy(source, target_keys, cluster().uri(), target.uri());
}

TEST_F(CompareClusterTest, StandaloneSourceAgainstAClusterTarget) {
  RedisServer source;
  auto connection = source.connect();
  StandaloneKeyspace source_keys(connection);
  ClusterKeyspace target(cluster());
  compare_after_copy(source_keys, target, source.uri(), cluster().uri());
}

// --- TLS ----------------------------------------------------------------------

TEST(CompareTls, TlsTargetIsComparedWithItsOptions) {
  const TlsCertificates pki;
  RedisServer source;
  RedisServerOptions tls;
  tls.tls = pki.server_tls(/*auth_clients=*/true);
  RedisServer target(tls);
  auto connection = source.connect();
  write_every_type_dataset(connection, {.large_values = false, .small_strings = 100});
  const std::vector<std::string> tls_options{"--target-cacert", pki.ca_cert().string(),
                                             "--target-cert",   pki.client_cert().string(),
                                             "--target-key",    pki.client_key().string()};
  std::vector<std::string> args{"replicate", source.uri(), target.uri(), "--progress", "none"};
  args.insert(args.end(), tls_options.begin(), tls_options.end());
  const auto copied = run_riot(args);
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  const auto keys = connection.checked({"DBSIZE"}).integer;
  EXPECT_EQ(comparison_counts(copied, "verify"), (ComparisonCounts{.keys = keys, .ok = keys}))
      << copied.describe();

  target.connect().checked({"SET", "small:3", "changed"});
  args.insert(args.end(), {"--mode", "compare"});
  const auto compared = run_riot(args);
  EXPECT_EQ(compared.exit_code, kExitDifferences) << compared.describe();
  EXPECT_EQ(comparison_counts(compared, "compare"),
            (ComparisonCounts{.keys = keys, .ok = keys - 1, .value = 1}))
      << compared.describe();
}

}  // namespace
}  // namespace riot::test
