// Comparing pipelines and documents of several pipelines, run by the real
// runtime with in-process components over two in-memory "databases": the
// outcomes counted by class, --show-diffs lines and the diff report, the
// passes (compare, extras, repair, compare again) and what the summary says
// of them, a big key's chunks in order at one comparator, and the rules that
// stop a document's later pipelines.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "pipeline_runner.hpp"
#include "riot/host/runtime.hpp"
#include "riot/plugin.hpp"

namespace riot::host {
namespace {

using nlohmann::json;
using Map = std::map<std::string, std::string>;

constexpr std::uint32_t kChunks = 3;  // of a key named "big:..."

struct Databases {
  std::mutex mutex;
  Map source;
  Map target;
  // The chunks each comparator instance received, per key: (instance, index).
  std::map<std::string, std::vector<std::pair<std::size_t, std::uint32_t>>> chunks;
  std::atomic<int> live_components{0};
};

class Tracked {
 public:
  explicit Tracked(Databases& databases) : databases_(databases) { ++databases_.live_components; }
  ~Tracked() { --databases_.live_components; }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;

 protected:
  Databases& databases_;
};

// The keys of one side, in batches of 7; config {"side": "source"|"target"}.
class MapSource final : public Source, Tracked {
 public:
  MapSource(Databases& databases, const json& config, HostContext& host)
      : Tracked(databases), target_(config.value("side", "source") == "target"), host_(host) {}

  void run(std::size_t, KeyBatchWriter& out) override {
    std::vector<std::string> keys;
    {
      std::lock_guard lock(databases_.mutex);
      for (const auto& entry : target_ ? databases_.target : databases_.source)
        keys.push_back(entry.first);
    }
    for (std::size_t first = 0; first < keys.size(); first += 7) {
      KeyBatch batch;
      for (std::size_t i = first; i < std::min(keys.size(), first + 7); ++i)
        batch.push_back(KeyEvent{keys[i]});
      Metrics::add(host_.metrics().keys_scanned, batch.size());
      if (!out.push(std::move(batch))) return;
    }
  }

 private:
  bool target_;
  HostContext& host_;
};

// Reads the source: a DUMP-like record per key it holds (a "big:" key as
// kChunks value records, handed over early), an erase record for a key it
// lacks; config {"presence": true}: erase records only (the extras pass).
class MapReader final : public Reader, Tracked {
 public:
  MapReader(Databases& databases, const json& config, HostContext& host)
      : Tracked(databases), presence_(config.value("presence", false)), host_(host) {}

  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override {
    for (KeyEvent& event : keys) {
      std::optional<std::string> value;
      {
        std::lock_guard lock(databases_.mutex);
        if (const auto found = databases_.source.find(event.key); found != databases_.source.end())
          value = found->second;
      }
      if (value && presence_) continue;
      Record record;
      record.key = event.key;
      if (!value) {
        record.kind = RecordKind::erase;
      } else if (event.key.rfind("big:", 0) == 0) {
        for (std::uint32_t index = 0; index + 1 < kChunks; ++index) {
          RecordBatch chunk{chunk_record(event.key, *value, index)};
          EXPECT_TRUE(early.hand_over(chunk));
        }
        record = chunk_record(event.key, *value, kChunks - 1);
      } else {
        record.payload = *value;
      }
      out.push_back(std::move(record));
    }
    Metrics::add(host_.metrics().keys_read, keys.size());
  }

 private:
  static Record chunk_record(const std::string& key, const std::string& value,
                             std::uint32_t index) {
    Record record;
    record.key = key;
    record.kind = RecordKind::value;
    record.type = "list";
    record.parts = {value};
    record.chunk.index = index;
    record.chunk.last = index + 1 == kChunks;
    return record;
  }

  bool presence_;
  HostContext& host_;
};

// Compares with the target. A key named "flaky:..." is equal only at a
// second look; a difference of a key named "moving:..." changed during the
// comparison.
class MapComparator final : public Comparator, Tracked {
 public:
  MapComparator(Databases& databases, HostContext& host) : Tracked(databases), host_(host) {}

  void compare(RecordBatch& records) override {
    for (const Record& record : records) {
      if (record.kind == RecordKind::value) {
        std::lock_guard lock(databases_.mutex);
        databases_.chunks[record.key].emplace_back(host_.instance(), record.chunk.index);
        if (!record.chunk.last) continue;
      }
      std::optional<std::string> target;
      {
        std::lock_guard lock(databases_.mutex);
        if (const auto found = databases_.target.find(record.key); found != databases_.target.end())
          target = found->second;
      }
      const std::string value =
          record.kind == RecordKind::value ? record.parts.front() : record.payload;
      KeyDifference difference;
      difference.key = record.key;
      difference.changed_during_comparison = record.key.rfind("moving:", 0) == 0;
      std::string detail;
      if (record.kind == RecordKind::erase) {
        if (!target) continue;  // neither holds it: no outcome
        difference.difference = DifferenceClass::extra;
        difference.target_type = "string";
        difference.target_ttl_ms = -1;
      } else if (!target) {
        difference.difference = DifferenceClass::missing;
        difference.source_type = "string";
        difference.source_ttl_ms = -1;
      } else if (*target != value) {
        difference.difference = DifferenceClass::value;
        detail =
            std::to_string(value.size()) + " bytes vs " + std::to_string(target->size()) + " bytes";
        difference.detail = detail;
        difference.source_type = difference.target_type = "string";
        difference.source_ttl_ms = difference.target_ttl_ms = -1;
      } else {
        host_.report_equal(1, record.key.rfind("flaky:", 0) == 0 ? 1 : 0);
        continue;
      }
      host_.report_difference(difference);
    }
  }

 private:
  HostContext& host_;
};

// Writes to the target; config {"fail": true} reports every key failed,
// {"throw": true} throws (a fatal error).
class MapSink final : public Sink, Tracked {
 public:
  MapSink(Databases& databases, const json& config, HostContext& host)
      : Tracked(databases),
        fail_(config.value("fail", false)),
        throw_(config.value("throw", false)),
        host_(host) {}

  void write(RecordBatch& records) override {
    if (throw_) throw std::runtime_error("target 127.0.0.1:2: OOM");
    for (const Record& record : records) {
      if (!record.completes_key()) continue;
      if (fail_) {
        host_.report_failure(record.key, "RESTORE failed: ERR refused");
        continue;
      }
      std::lock_guard lock(databases_.mutex);
      if (record.kind == RecordKind::erase) {
        if (databases_.target.erase(record.key) > 0) Metrics::add(host_.metrics().keys_deleted, 1);
        continue;
      }
      databases_.target[record.key] =
          record.kind == RecordKind::value ? record.parts.front() : record.payload;
      Metrics::add(host_.metrics().keys_written, 1);
    }
  }

 private:
  bool fail_;
  bool throw_;
  HostContext& host_;
};

// The components, as validation would have resolved them.
class InMemoryPlugins {
 public:
  explicit InMemoryPlugins(Databases& databases)
      : source_{"map.source", "", {}, SourceFactory([&databases](const json& c, HostContext& h) {
                  return std::make_unique<MapSource>(databases, c, h);
                })},
        reader_{"map.reader", "", {}, ReaderFactory([&databases](const json& c, HostContext& h) {
                  return std::make_unique<MapReader>(databases, c, h);
                })},
        comparator_{
            "map.comparator", "", {}, ComparatorFactory([&databases](const json&, HostContext& h) {
              return std::make_unique<MapComparator>(databases, h);
            })},
        sink_{"map.sink", "", {}, SinkFactory([&databases](const json& c, HostContext& h) {
                return std::make_unique<MapSink>(databases, c, h);
              })} {
    for (const ComponentInfo* info : {&source_, &reader_, &comparator_, &sink_}) {
      loaded_[info->name].info = info;
      loaded_[info->name].file = "in-process";
    }
  }

  StageSpec stage(const std::string& component, json config = json::object(), int threads = 2,
                  std::size_t batch_size = 5) {
    StageSpec spec;
    spec.component = component;
    spec.config = std::move(config);
    spec.threads = threads;
    spec.batch_size = batch_size;
    spec.queue_capacity = 50;
    spec.resolved = &loaded_.at(component);
    return spec;
  }

  // Copies the source into the target.
  PipelineSpec copying(std::string name, json sink_config = json::object()) {
    PipelineSpec spec;
    spec.name = std::move(name);
    spec.sources = {stage("map.source")};
    spec.reader = stage("map.reader");
    spec.sink = stage("map.sink", std::move(sink_config));
    return spec;
  }

  // Compares, finds the extra keys; repairs when asked.
  PipelineSpec comparing(std::string name, bool repair = false, bool repair_extra = false) {
    PipelineSpec spec;
    spec.name = std::move(name);
    spec.sources = {stage("map.source")};
    spec.reader = stage("map.reader");
    spec.comparator = stage("map.comparator", json::object(), 3, 4);
    spec.extras = ExtrasSpec{stage("map.source", {{"side", "target"}}),
                             stage("map.reader", {{"presence", true}})};
    if (repair) spec.repair = RepairSpec{stage("map.reader"), stage("map.sink"), repair_extra};
    return spec;
  }

 private:
  ComponentInfo source_;
  ComponentInfo reader_;
  ComponentInfo comparator_;
  ComponentInfo sink_;
  std::map<std::string, LoadedComponent> loaded_;
};

RunOptions quiet_options() {
  RunOptions options;
  options.progress = ProgressMode::none;
  return options;
}

RunSummary run(const PipelineSpec& spec) {
  CancellationToken cancel;
  return run_pipeline(spec, quiet_options(), cancel);
}

std::vector<json> read_json_lines(const std::filesystem::path& file) {
  std::vector<json> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

class ComparisonRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A binary key (not UTF-8) missing from the target, a value that
    // differs, a missing key, a big key in chunks, an extra key.
    databases_.source = {{"a", "1"},        {"b", "22"},     {"c", "3"},
                         {"big:1", "list"}, {"big:2", "ab"}, {std::string("\xff\0bin", 5), "9"}};
    databases_.target = {{"a", "1"}, {"b", "2"}, {"big:1", "list"}, {"big:2", "ba"}, {"d", "4"}};
  }

  void TearDown() override {
    EXPECT_EQ(databases_.live_components, 0) << "every component is gone after the run";
    std::filesystem::remove(report_);
  }

  Databases databases_;
  InMemoryPlugins plugins_{databases_};
  std::filesystem::path report_ = std::filesystem::temp_directory_path() /
                                  ("riot-test-diffs-" + std::to_string(::getpid()) + ".jsonl");
};

TEST_F(ComparisonRunTest, CountsEveryClassShowsEachDifferenceAndWritesTheReport) {
  PipelineSpec spec = plugins_.comparing("verify");
  spec.comparison.show_diffs = true;
  spec.comparison.diff_report = report_.string();
  const Map target_before = databases_.target;

  ::testing::internal::CaptureStdout();
  const RunSummary summary = run(spec);
  const std::string shown = ::testing::internal::GetCapturedStdout();

  ASSERT_FALSE(summary.fatal_error) << *summary.fatal_error;
  ASSERT_TRUE(summary.comparison);
  const ComparisonCounts& counts = summary.comparison->counts;
  EXPECT_EQ(counts.ok, 2u);
  EXPECT_EQ(counts.missing, 2u);
  EXPECT_EQ(counts.value, 2u);
  EXPECT_EQ(counts.extra, 1u);
  EXPECT_EQ(counts.type + counts.ttl, 0u);
  EXPECT_FALSE(summary.comparison->repair);
  EXPECT_EQ(databases_.target, target_before) << "a comparison changes nothing";

  EXPECT_NE(format_summary(summary).find(
                "verify: 7 keys: 2 ok, 2 missing, 0 type, 2 value, 0 ttl, 1 extra\n"),
            std::string::npos)
      << format_summary(summary);
  EXPECT_NE(format_summary(summary).find("Summary: finished, differences found"),
            std::string::npos);

  EXPECT_NE(shown.find("value \"b\" 2 bytes vs 1 bytes\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("missing \"c\"\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("missing \"\\xff\\x00bin\"\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("extra \"d\"\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("value \"big:2\""), std::string::npos) << shown;

  const std::vector<json> lines = read_json_lines(report_);
  ASSERT_EQ(lines.size(), 5u);
  std::map<std::string, json> by_key;
  for (const json& line : lines) {
    EXPECT_EQ(line["pipeline"], "verify");
    EXPECT_EQ(line["pass"], "compare");
    by_key[line.contains("key") ? line["key"].get<std::string>()
                                : "base64:" + line["key_base64"].get<std::string>()] = line;
  }
  ASSERT_TRUE(by_key.count("base64:/wBiaW4=")) << "\\xff\\0bin in base64";
  EXPECT_EQ(by_key["base64:/wBiaW4="]["class"], "missing");
  EXPECT_FALSE(by_key["base64:/wBiaW4="].contains("key"));
  EXPECT_EQ(by_key["b"]["class"], "value");
  EXPECT_EQ(by_key["b"]["detail"], "2 bytes vs 1 bytes");
  EXPECT_EQ(by_key["b"]["source_type"], "string");
  EXPECT_EQ(by_key["b"]["target_ttl_ms"], -1);
  EXPECT_EQ(by_key["b"]["in_flight"], false);
  EXPECT_EQ(by_key["d"]["class"], "extra");
  EXPECT_EQ(by_key["d"]["source_type"], "");
}

TEST_F(ComparisonRunTest, RepairMakesTheTargetEqualAndCountsTheFinalOutcomes) {
  PipelineSpec spec = plugins_.comparing("verify", true, true);
  spec.comparison.diff_report = report_.string();
  const RunSummary summary = run(spec);

  ASSERT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_EQ(databases_.target, databases_.source);
  ASSERT_TRUE(summary.comparison && summary.comparison->repair);
  const ComparisonSummary& comparison = *summary.comparison;
  ASSERT_TRUE(comparison.before_repair);
  EXPECT_EQ(comparison.before_repair->differences(), 5u);
  EXPECT_EQ(comparison.counts, (ComparisonCounts{.ok = 6}))
      << "the repaired keys' outcomes replaced; the deleted extra key is no key any more";
  EXPECT_EQ(comparison.repair->keys_copied, 4u);
  EXPECT_EQ(comparison.repair->keys_deleted, 1u);
  EXPECT_EQ(comparison.repair->compared_again, (ComparisonCounts{.ok = 4}));
  const std::string text = format_summary(summary);
  EXPECT_NE(text.find("verify: 6 keys: 6 ok, 0 missing, 0 type, 0 value, 0 ttl, 0 extra\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("repair: 4 keys copied again, 1 deleted; compared again: 4 ok, 0 still "
                      "differ\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(app::exit_code_for(summary), 0);
  for (const json& line : read_json_lines(report_)) EXPECT_EQ(line["pass"], "compare");
}

TEST_F(ComparisonRunTest, RepairLeavesExtraKeysUnlessAsked) {
  const RunSummary summary = run(plugins_.comparing("verify", true, false));
  ASSERT_FALSE(summary.fatal_error) << *summary.fatal_error;
  Map expected = databases_.source;
  expected["d"] = "4";
  EXPECT_EQ(databases_.target, expected);
  EXPECT_EQ(summary.comparison->counts, (ComparisonCounts{.ok = 6, .extra = 1}));
  EXPECT_EQ(summary.comparison->repair->keys_deleted, 0u);
  EXPECT_EQ(app::exit_code_for(summary), 4);
}

TEST_F(ComparisonRunTest, RecompareReportsWhatRepairCouldNotFix) {
  PipelineSpec spec = plugins_.comparing("verify", true, true);
  spec.repair->sink.config = {{"fail", true}};
  spec.comparison.diff_report = report_.string();
  const RunSummary summary = run(spec);
  ASSERT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_EQ(summary.keys_failed, 5u) << "the repair's failed keys count as failed";
  EXPECT_EQ(summary.comparison->counts, *summary.comparison->before_repair);
  EXPECT_EQ(summary.comparison->repair->compared_again.differences(), 5u);
  std::size_t recompared = 0;
  for (const json& line : read_json_lines(report_)) recompared += line["pass"] == "recompare";
  EXPECT_EQ(recompared, 5u);
  EXPECT_EQ(app::exit_code_for(summary), 1) << "failed keys come before differences";
}

TEST_F(ComparisonRunTest, CountsRechecksAndSaysADifferenceMayBeInFlight) {
  databases_.source = {{"flaky:1", "x"}, {"moving:1", "new"}};
  databases_.target = {{"flaky:1", "x"}, {"moving:1", "old"}};
  const RunSummary summary = run(plugins_.comparing("verify"));
  ASSERT_TRUE(summary.comparison);
  EXPECT_EQ(summary.comparison->equal_after_recheck, 1u);
  EXPECT_EQ(summary.comparison->changed_during_comparison, 1u);
  EXPECT_TRUE(summary.comparison->maybe_in_flight());
  EXPECT_NE(format_summary(summary).find("a difference may be a write in flight"),
            std::string::npos);

  databases_.target["moving:1"] = "new";
  const RunSummary equal = run(plugins_.comparing("verify"));
  EXPECT_EQ(equal.comparison->counts, (ComparisonCounts{.ok = 2}));
  EXPECT_FALSE(equal.comparison->maybe_in_flight()) << "no difference left: nothing in flight";
  EXPECT_EQ(format_summary(equal).find("in flight"), std::string::npos);
}

TEST_F(ComparisonRunTest, ABigKeysChunksReachOneComparatorInOrder) {
  databases_.source.clear();
  for (int i = 0; i < 300; ++i) databases_.source["big:" + std::to_string(i)] = "v";
  databases_.target = databases_.source;
  const RunSummary summary = run(plugins_.comparing("verify"));
  EXPECT_EQ(summary.comparison->counts, (ComparisonCounts{.ok = 300}));
  ASSERT_EQ(databases_.chunks.size(), 300u);
  std::set<std::size_t> instances;
  for (const auto& [key, chunks] : databases_.chunks) {
    ASSERT_EQ(chunks.size(), kChunks) << key;
    for (std::uint32_t i = 0; i < kChunks; ++i) {
      EXPECT_EQ(chunks[i].first, chunks.front().first) << key << ": one comparator";
      EXPECT_EQ(chunks[i].second, i) << key << ": in order";
    }
    instances.insert(chunks.front().first);
  }
  EXPECT_EQ(instances.size(), 3u) << "the keys spread over the three comparators";
}

TEST_F(ComparisonRunTest, ADocumentRunsItsPipelinesInOrderSnapshotThenVerify) {
  databases_.target.clear();
  DocumentSpec document;
  document.pipelines = {plugins_.copying("snapshot"), plugins_.comparing("verify")};
  CancellationToken cancel;
  const std::vector<RunSummary> summaries = run_document(document, quiet_options(), cancel);
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].pipeline, "snapshot");
  EXPECT_EQ(summaries[0].keys_written, databases_.source.size());
  EXPECT_FALSE(summaries[0].comparison);
  EXPECT_EQ(summaries[1].pipeline, "verify");
  EXPECT_EQ(summaries[1].comparison->counts, (ComparisonCounts{.ok = databases_.source.size()}));
  EXPECT_EQ(app::exit_code_for(summaries), 0);
}

TEST_F(ComparisonRunTest, FailedKeysDoNotStopTheNextPipelineAFatalErrorDoes) {
  DocumentSpec document;
  document.pipelines = {plugins_.copying("snapshot", {{"fail", true}}),
                        plugins_.comparing("verify")};
  CancellationToken cancel;
  std::vector<RunSummary> summaries = run_document(document, quiet_options(), cancel);
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].keys_failed, databases_.source.size());
  EXPECT_EQ(app::exit_code_for(summaries), 1) << "failed keys beat differences";

  document.pipelines[0] = plugins_.copying("snapshot", {{"throw", true}});
  summaries = run_document(document, quiet_options(), cancel);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_TRUE(summaries[0].fatal_error);
  EXPECT_EQ(app::exit_code_for(summaries), 3);
}

TEST_F(ComparisonRunTest, AnInterruptedPipelineIsTheLast) {
  DocumentSpec document;
  document.pipelines = {plugins_.comparing("first"), plugins_.comparing("second")};
  CancellationToken cancel;
  cancel.cancel();
  const std::vector<RunSummary> summaries = run_document(document, quiet_options(), cancel);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_TRUE(summaries[0].interrupted);
  EXPECT_EQ(app::exit_code_for(summaries), 130);
}

TEST(ExitCodes, FollowThePrecedenceOfTheSpec) {
  RunSummary differences;
  differences.comparison.emplace().counts.value = 1;
  RunSummary failed;
  failed.keys_failed = 1;
  RunSummary refused;
  refused.refused = "it would write into the database it reads";
  RunSummary fatal;
  fatal.fatal_error = "source: connection refused";
  RunSummary interrupted;
  interrupted.interrupted = true;
  EXPECT_EQ(app::exit_code_for(std::vector<RunSummary>{}), 0);
  using Summaries = std::vector<RunSummary>;
  EXPECT_EQ(app::exit_code_for(Summaries{differences}), 4);
  EXPECT_EQ(app::exit_code_for(Summaries{differences, failed}), 1);
  EXPECT_EQ(app::exit_code_for(Summaries{refused, failed, differences}), 2);
  EXPECT_EQ(app::exit_code_for(Summaries{failed, fatal, refused}), 3);
  EXPECT_EQ(app::exit_code_for(Summaries{fatal, interrupted}), 130);
}

}  // namespace
}  // namespace riot::host
