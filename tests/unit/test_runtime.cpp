// The runtime that `riot run` and `riot replicate` share, driven with
// in-process components: every key arrives exactly once in the batch sizes
// asked for, memory stays bounded by the queues, and every way a run can end
// (success, a failing stage, a refused component, a signal) ends it cleanly,
// with every component destroyed before run_pipeline returns.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "read_rounds.hpp"
#include "riot/host/runtime.hpp"
#include "riot/plugin.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;

// What the fake components share with the test.
struct Scenario {
  // Source
  std::size_t keys = 1000;  // emitted, unless endless
  std::size_t page = 100;   // keys per pushed batch
  bool endless = false;     // emits until the run stops it
  bool source_ran = false;

  // Reader
  std::size_t throw_on_read_batch = 0;  // 1-based; 0: never
  // Every n-th key (by number) is read as a big key: kChunks value records,
  // all but the last handed over early; 0: none.
  std::size_t chunked_every = 0;

  // Sink
  bool refuse_sink_creation = false;
  bool throw_on_write = false;
  std::chrono::microseconds write_delay{0};
  std::size_t fail_every = 0;  // report every n-th key (by number) as failed; 0: none

  std::atomic<int> live_components{0};
  std::atomic<int> flushes{0};
  std::atomic<std::size_t> reads{0};

  std::mutex mutex;
  std::multiset<std::string> written;
  std::vector<std::size_t> read_batch_sizes;
  std::vector<std::size_t> write_batch_sizes;
  struct ChunkWritten {
    std::size_t sink;  // the sink instance that wrote it
    ValueChunk chunk;
  };
  std::map<std::string, std::vector<ChunkWritten>> chunks;  // of the chunked keys
  std::int64_t largest_in_flight = 0;                       // keys scanned but not yet written
};

// Counts instances, so that tests can check none outlives the run.
class Tracked {
 public:
  explicit Tracked(Scenario& scenario) : scenario_(scenario) { ++scenario_.live_components; }
  ~Tracked() { --scenario_.live_components; }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;

 protected:
  Scenario& scenario_;
};

class FakeSource final : public Source, Tracked {
 public:
  FakeSource(Scenario& scenario, HostContext& host) : Tracked(scenario), host_(host) {}

  std::optional<std::uint64_t> estimate_total() override {
    if (scenario_.endless) return std::nullopt;
    return scenario_.keys;
  }

  void run(std::size_t /*partition*/, KeyBatchWriter& out) override {
    scenario_.source_ran = true;
    for (std::size_t next = 0; scenario_.endless || next < scenario_.keys;) {
      KeyBatch batch;
      for (std::size_t i = 0; i < scenario_.page && (scenario_.endless || next < scenario_.keys);
           ++i) {
        batch.push_back(KeyEvent{"key:" + std::to_string(next++)});
      }
      Metrics::add(host_.metrics().keys_scanned, batch.size());
      if (!out.push(std::move(batch))) return;
    }
  }

 private:
  HostContext& host_;
};

class FakeReader final : public Reader, Tracked {
 public:
  FakeReader(Scenario& scenario, HostContext& host) : Tracked(scenario), host_(host) {}

  static constexpr std::uint32_t kChunks = 4;

  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter& early) override {
    const std::size_t number = ++scenario_.reads;
    if (number == scenario_.throw_on_read_batch) {
      throw std::runtime_error("source 127.0.0.1:1: connection reset");
    }
    {
      std::lock_guard lock(scenario_.mutex);
      scenario_.read_batch_sizes.push_back(keys.size());
    }
    for (KeyEvent& key : keys) {
      if (is_chunked(key.key)) {
        read_in_chunks(key.key, out, early);
        continue;
      }
      Record& record = out.emplace_back();
      record.key = std::move(key.key);
      record.payload = "value";
    }
    Metrics::add(host_.metrics().keys_read, keys.size());
    Metrics::add(host_.metrics().bytes_read, keys.size() * 5);
  }

 private:
  bool is_chunked(const std::string& key) const {
    return scenario_.chunked_every > 0 && std::stoul(key.substr(4)) % scenario_.chunked_every == 0;
  }

  static void read_in_chunks(const std::string& key, RecordBatch& out, RecordBatchWriter& early) {
    for (std::uint32_t index = 0; index < kChunks; ++index) {
      RecordBatch chunk(1);
      Record& record = chunk.front();
      record.key = key;
      record.kind = RecordKind::value;
      record.type = "list";
      record.parts = {"part"};
      record.chunk.index = index;
      record.chunk.last = index + 1 == kChunks;
      if (record.chunk.last) {
        out.push_back(std::move(record));
      } else {
        ASSERT_TRUE(early.hand_over(chunk));
        ASSERT_TRUE(chunk.empty());
      }
    }
  }

  HostContext& host_;
};

class FakeSink final : public Sink, Tracked {
 public:
  FakeSink(Scenario& scenario, HostContext& host) : Tracked(scenario), host_(host) {}

  void write(RecordBatch& records) override {
    if (scenario_.throw_on_write) throw std::runtime_error("target 127.0.0.1:2: OOM");
    if (scenario_.write_delay.count() > 0) std::this_thread::sleep_for(scenario_.write_delay);
    std::uint64_t written = 0;
    for (const Record& record : records) {
      if (!record.completes_key()) continue;
      const std::size_t number = std::stoul(record.key.substr(4));
      if (scenario_.fail_every > 0 && number % scenario_.fail_every == 0) {
        host_.report_failure(record.key, "RESTORE failed: ERR refused");
        continue;
      }
      ++written;
    }
    const Metrics& metrics = host_.metrics();
    std::lock_guard lock(scenario_.mutex);
    scenario_.write_batch_sizes.push_back(records.size());
    for (const Record& record : records) {
      if (record.completes_key()) scenario_.written.insert(record.key);
      if (record.kind == RecordKind::value)
        scenario_.chunks[record.key].push_back({host_.instance(), record.chunk});
    }
    // Measured before this batch counts as written: the most keys that were
    // ever between the source and the target.
    const auto in_flight = static_cast<std::int64_t>(metrics.keys_scanned.load()) -
                           static_cast<std::int64_t>(metrics.keys_written.load()) -
                           static_cast<std::int64_t>(metrics.keys_failed.load());
    scenario_.largest_in_flight = std::max(scenario_.largest_in_flight, in_flight);
    Metrics::add(host_.metrics().keys_written, written);
  }

  void flush() override { ++scenario_.flushes; }

 private:
  HostContext& host_;
};

// A pipeline of the fake components, as validation would have resolved it.
class FakePipeline {
 public:
  explicit FakePipeline(Scenario& scenario)
      : source_info_{"test.source",
                     "",
                     {},
                     SourceFactory([&scenario](const auto&, HostContext& host) {
                       return std::make_unique<FakeSource>(scenario, host);
                     })},
        reader_info_{
            "test.reader", "", {}, ReaderFactory([&scenario](const auto&, HostContext& host) {
              return std::make_unique<FakeReader>(scenario, host);
            })},
        sink_info_{
            "test.sink",
            "",
            {},
            SinkFactory([&scenario](const auto&, HostContext& host) -> std::unique_ptr<Sink> {
              if (scenario.refuse_sink_creation) {
                throw std::runtime_error("target 127.0.0.1:2: WRONGPASS invalid password");
              }
              return std::make_unique<FakeSink>(scenario, host);
            })} {
    spec.sources = {stage("test.source", source_loaded_, source_info_, 1, 200, 10000)};
    spec.reader = stage("test.reader", reader_loaded_, reader_info_, 3, 50, 1000);
    spec.sink = stage("test.sink", sink_loaded_, sink_info_, 2, 70, 1000);
  }

  PipelineSpec spec;

 private:
  static StageSpec stage(const char* name, LoadedComponent& loaded, const ComponentInfo& info,
                         int threads, std::size_t batch_size, std::size_t queue_capacity) {
    loaded.info = &info;
    loaded.file = "in-process";
    StageSpec spec;
    spec.component = name;
    spec.config = nlohmann::json::object();
    spec.threads = threads;
    spec.batch_size = batch_size;
    spec.queue_capacity = queue_capacity;
    spec.resolved = &loaded;
    return spec;
  }

  ComponentInfo source_info_;
  ComponentInfo reader_info_;
  ComponentInfo sink_info_;
  LoadedComponent source_loaded_;
  LoadedComponent reader_loaded_;
  LoadedComponent sink_loaded_;
};

RunSummary run(FakePipeline& pipeline, CancellationToken& cancel,
               std::size_t keys_named_per_cause = 3) {
  RunOptions options;
  options.progress = ProgressMode::none;
  options.keys_named_per_cause = keys_named_per_cause;
  return run_pipeline(pipeline.spec, options, cancel);
}

RunSummary run(FakePipeline& pipeline) {
  CancellationToken cancel;
  return run(pipeline, cancel);
}

TEST(RunPipeline, MovesEveryKeyExactlyOnce) {
  Scenario scenario;
  scenario.keys = 10007;  // no multiple of any batch size
  scenario.page = 333;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);

  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_FALSE(summary.interrupted);
  EXPECT_EQ(summary.keys_total_estimate, scenario.keys);
  EXPECT_EQ(summary.keys_scanned, scenario.keys);
  EXPECT_EQ(summary.keys_read, scenario.keys);
  EXPECT_EQ(summary.keys_written, scenario.keys);
  EXPECT_EQ(summary.bytes_read, scenario.keys * 5);
  EXPECT_EQ(summary.keys_failed, 0u);
  EXPECT_GT(summary.seconds, 0);

  ASSERT_EQ(scenario.written.size(), scenario.keys);
  for (std::size_t i = 0; i < scenario.keys; ++i) {
    ASSERT_EQ(scenario.written.count("key:" + std::to_string(i)), 1u) << i;
  }
  EXPECT_EQ(scenario.flushes, 2) << "each sink flushed once";
}

// A big key's chunks, handed over while its reader is still reading, reach
// one sink, in order, each reading told apart; the key counts once.
void expect_chunks_in_order(bool ordered) {
  Scenario scenario;
  scenario.keys = 3001;
  scenario.page = 97;
  scenario.chunked_every = 5;
  FakePipeline pipeline(scenario);
  pipeline.spec.runtime.ordered = ordered;
  const RunSummary summary = run(pipeline);

  ASSERT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_EQ(summary.keys_written, scenario.keys);
  EXPECT_EQ(scenario.written.size(), scenario.keys) << "each key written once, with its last chunk";
  ASSERT_EQ(scenario.chunks.size(), (scenario.keys + 4) / 5);
  std::set<std::uint64_t> readings;
  for (const auto& [key, chunks] : scenario.chunks) {
    ASSERT_EQ(chunks.size(), 4u) << key;
    for (std::uint32_t i = 0; i < chunks.size(); ++i) {
      EXPECT_EQ(chunks[i].chunk.index, i) << key;
      EXPECT_EQ(chunks[i].chunk.last, i == 3) << key;
      EXPECT_EQ(chunks[i].sink, chunks[0].sink) << key << ": every chunk by one sink";
      EXPECT_EQ(chunks[i].chunk.reading, chunks[0].chunk.reading) << key;
    }
    EXPECT_NE(chunks[0].chunk.reading, 0u) << key;
    EXPECT_TRUE(readings.insert(chunks[0].chunk.reading).second) << key << ": a reading of its own";
  }
}

TEST(RunPipeline, AppliesABigKeysChunksInOrderThroughOneSink) {
  expect_chunks_in_order(false);
}

TEST(RunPipeline, AppliesABigKeysChunksInOrderThroughOneSinkWhenOrdered) {
  expect_chunks_in_order(true);
}

TEST(RunPipeline, RegroupsBatchesToEachStagesBatchSize) {
  Scenario scenario;
  scenario.keys = 10007;
  scenario.page = 333;
  FakePipeline pipeline(scenario);
  run(pipeline);

  // The source's pages of 333 reach the readers in batches of 50; only the
  // last one may be smaller. Each of the 3 readers reads its first batch in
  // rounds of 1, 4 and 16 keys, then the rest: it does not know yet how much
  // a key weighs (see ReadRounds).
  const auto& reads = scenario.read_batch_sizes;
  EXPECT_EQ(std::accumulate(reads.begin(), reads.end(), std::size_t{0}), scenario.keys);
  EXPECT_EQ(std::count(reads.begin(), reads.end(), 1u), 3);
  EXPECT_LE(std::count_if(reads.begin(), reads.end(), [](std::size_t n) { return n != 50; }),
            4 * 3 + 1);
  // Each reader hands its records on to each of the 2 sinks' lanes (a key's
  // records always go to the same sink) in batches of 70, the last smaller.
  const auto& writes = scenario.write_batch_sizes;
  EXPECT_LE(std::count_if(writes.begin(), writes.end(), [](std::size_t n) { return n != 70; }),
            3 * 2)
      << "at most one partial batch per reader and sink lane";
  EXPECT_TRUE(std::all_of(writes.begin(), writes.end(), [](std::size_t n) { return n <= 70; }));
}

TEST(RunPipeline, AnEmptySourceFinishesCleanly) {
  Scenario scenario;
  scenario.keys = 0;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);
  EXPECT_FALSE(summary.fatal_error);
  EXPECT_EQ(summary.keys_written, 0u);
  EXPECT_EQ(scenario.flushes, 2);
}

// A slow target must hold the source back, not let keys pile up in memory.
TEST(RunPipeline, MemoryIsBoundedByTheQueues) {
  Scenario scenario;
  scenario.keys = 100000;
  scenario.page = 500;
  scenario.write_delay = 200us;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);
  ASSERT_EQ(summary.keys_written, scenario.keys);

  // Queue 1: 1000 keys; queue 2: 1000 records (at least two batches each);
  // plus what each worker holds: a page at the source, a read batch and a
  // partial write batch per reader, a write batch per sink.
  const std::int64_t bound = 1000 + 2 * 70 + 1000 + 500 + 50 + 3 * (50 + 70) + 2 * 70;
  EXPECT_LE(scenario.largest_in_flight, bound);
}

TEST(RunPipeline, FailedKeysAreCountedByCauseWithTheFirstNamed) {
  Scenario scenario;
  scenario.keys = 1000;
  scenario.fail_every = 10;
  FakePipeline pipeline(scenario);
  CancellationToken cancel;
  const RunSummary summary = run(pipeline, cancel, 5);

  EXPECT_FALSE(summary.fatal_error);
  EXPECT_EQ(summary.keys_failed, 100u);
  EXPECT_EQ(summary.keys_written, 900u);
  ASSERT_EQ(summary.failure_causes.size(), 1u) << "one error, one cause";
  const FailureCause& cause = summary.failure_causes.front();
  EXPECT_EQ(cause.error, "RESTORE failed: ERR refused");
  EXPECT_EQ(cause.keys, 100u);
  ASSERT_EQ(cause.first_keys.size(), 5u);
  for (const std::string& key : cause.first_keys)
    EXPECT_EQ(std::stoul(key.substr(4)) % 10, 0u) << key;
}

TEST(RunPipeline, AComponentThatCannotBeCreatedRunsNothing) {
  Scenario scenario;
  scenario.refuse_sink_creation = true;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);

  ASSERT_TRUE(summary.fatal_error);
  EXPECT_EQ(*summary.fatal_error, "sink: target 127.0.0.1:2: WRONGPASS invalid password");
  EXPECT_FALSE(scenario.source_ran);
  EXPECT_EQ(summary.keys_scanned, 0u);
  EXPECT_EQ(scenario.live_components, 0) << "the components created before are destroyed";
}

TEST(RunPipeline, AFailingReaderStopsTheRunAndIsNamed) {
  Scenario scenario;
  scenario.endless = true;
  scenario.throw_on_read_batch = 3;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);

  ASSERT_TRUE(summary.fatal_error);
  EXPECT_EQ(*summary.fatal_error, "reader: source 127.0.0.1:1: connection reset");
  EXPECT_FALSE(summary.interrupted);
  EXPECT_EQ(scenario.live_components, 0);
}

TEST(RunPipeline, AFailingSinkStopsTheRunAndIsNamed) {
  Scenario scenario;
  scenario.endless = true;
  scenario.throw_on_write = true;
  FakePipeline pipeline(scenario);
  const RunSummary summary = run(pipeline);

  ASSERT_TRUE(summary.fatal_error);
  EXPECT_EQ(*summary.fatal_error, "sink: target 127.0.0.1:2: OOM");
  EXPECT_EQ(scenario.live_components, 0);
}

TEST(RunPipeline, CancellingFromOutsideInterruptsTheRun) {
  Scenario scenario;
  scenario.endless = true;
  scenario.write_delay = 100us;
  FakePipeline pipeline(scenario);
  CancellationToken cancel;
  std::thread signal([&cancel] {
    std::this_thread::sleep_for(200ms);
    cancel.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  const RunSummary summary = run(pipeline, cancel);
  signal.join();

  EXPECT_TRUE(summary.interrupted);
  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_GT(summary.keys_written, 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(scenario.flushes, 2) << "what the sinks hold is flushed, not lost";
  EXPECT_EQ(scenario.live_components, 0);
}

TEST(RunPipeline, AlreadyCancelledRunsNothing) {
  Scenario scenario;
  FakePipeline pipeline(scenario);
  CancellationToken cancel;
  cancel.cancel();
  const RunSummary summary = run(pipeline, cancel);
  EXPECT_TRUE(summary.interrupted);
  EXPECT_FALSE(scenario.source_ran);
}

TEST(RunPipeline, ComponentsAreDestroyedBeforeRunPipelineReturns) {
  Scenario scenario;
  FakePipeline pipeline(scenario);
  run(pipeline);
  EXPECT_EQ(scenario.live_components, 0);
}

}  // namespace
}  // namespace riot::host
