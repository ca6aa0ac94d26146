// The runtime of live replication, driven with in-process components over an
// in-memory "source database": several sources connected before any runs,
// partitions on threads of the host, keyed lanes that keep each key's
// changes in order through several readers and sinks, coalescing, the idle
// timeout, a clean finish on a signal, reconciliation on request and on an
// overflowing event queue.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "riot/host/runtime.hpp"
#include "riot/plugin.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;

// The "databases" and what the fake components saw.
struct World {
  std::mutex mutex;
  std::map<std::string, std::uint64_t> source;  // key -> version; absent: deleted
  std::map<std::string, std::uint64_t> target;
  std::vector<std::string> order_violations;  // a write older than the one before it
  std::vector<std::string> connect_order;
  std::set<std::thread::id> partition_threads;
  std::atomic<int> reconcile_passes{0};
  std::atomic<int> reconcile_events_seen{0};

  // The writer's script, run by the notification source.
  std::size_t keys = 50;
  std::size_t rewrites = 40;            // versions written per key
  bool delete_every_tenth = true;       // the last change of keys 0, 10, ...: a delete
  bool request_reconciliation = false;  // once, after its changes
  bool lose_events = false;             // change the source without telling (a lost subscription)
  std::chrono::microseconds write_delay{0};
};

class NotificationSource final : public Source {
 public:
  NotificationSource(World& world, HostContext& host) : world_(world), host_(host) {}
  void connect() override {
    const std::lock_guard lock(world_.mutex);
    world_.connect_order.push_back("notifications");
  }
  bool unbounded() const override { return true; }
  void run(std::size_t, KeyBatchWriter& out) override {
    for (std::size_t version = 1; version <= world_.rewrites; ++version) {
      KeyBatch batch;
      for (std::size_t k = 0; k < world_.keys; ++k) {
        const std::string key = "key:" + std::to_string(k);
        const bool deleted = world_.delete_every_tenth && version == world_.rewrites && k % 10 == 0;
        {
          const std::lock_guard lock(world_.mutex);
          if (deleted) {
            world_.source.erase(key);
          } else {
            world_.source[key] = version;
          }
        }
        if (world_.lose_events && version == world_.rewrites) continue;
        KeyEvent event;
        event.key = key;
        event.origin = KeyOrigin::notification;
        event.observed_at = Expiry::Clock::now();
        batch.push_back(std::move(event));
      }
      if (!out.push(std::move(batch))) return;
    }
    if (world_.request_reconciliation) {
      // Every notified change applied first: the pass's events then find no
      // notification waiting for their key to merge into, and reach the
      // reader as the reconciliation's own.
      // The "lost subscription": meanwhile the run is not idle.
      out.following(false);
      wait_for_notified_versions(out);
      host_.request_reconciliation("subscription lost (test)");
      out.following(true);
    }
    while (!out.finish_requested() && !host_.cancellation().cancelled())
      std::this_thread::sleep_for(1ms);
  }

 private:
  // Until every key's notified version (or a later one, or its silent
  // delete) reached the target; at most 10 s, then the pass is asked anyway.
  void wait_for_notified_versions(KeyBatchWriter& out) {
    const std::uint64_t notified = world_.lose_events ? world_.rewrites - 1 : world_.rewrites;
    const auto caught_up = [&] {
      const std::lock_guard lock(world_.mutex);
      for (std::size_t k = 0; k < world_.keys; ++k) {
        const std::string key = "key:" + std::to_string(k);
        const auto written = world_.target.find(key);
        const bool deleted_on_both =
            written == world_.target.end() && world_.source.find(key) == world_.source.end();
        if (!deleted_on_both && (written == world_.target.end() || written->second < notified))
          return false;
      }
      return true;
    };
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!caught_up() && !out.finish_requested() && !host_.cancellation().cancelled() &&
           std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(1ms);
  }

  World& world_;
  HostContext& host_;
};

// A walk of the source's keys in three partitions; also the reconciliation.
class WalkSource final : public Source {
 public:
  WalkSource(World& world, bool reconcile) : world_(world), reconcile_(reconcile) {}
  void connect() override {
    const std::lock_guard lock(world_.mutex);
    world_.connect_order.push_back("walk");
  }
  std::size_t partition_count() const override { return 3; }
  void run(std::size_t partition, KeyBatchWriter& out) override {
    if (reconcile_ && partition == 0) ++world_.reconcile_passes;
    KeyBatch batch;
    {
      const std::lock_guard lock(world_.mutex);
      world_.partition_threads.insert(std::this_thread::get_id());
      for (std::size_t k = partition; k < world_.keys; k += 3) {
        batch.push_back(KeyEvent{"key:" + std::to_string(k)});
      }
    }
    out.push(std::move(batch));
  }

 private:
  World& world_;
  bool reconcile_;
};

class VersionReader final : public Reader {
 public:
  explicit VersionReader(World& world) : world_(world) {}
  void read(KeyBatch& keys, RecordBatch& out, RecordBatchWriter&) override {
    const std::lock_guard lock(world_.mutex);
    for (KeyEvent& event : keys) {
      if (event.origin == KeyOrigin::reconcile) ++world_.reconcile_events_seen;
      Record& record = out.emplace_back();
      const auto found = world_.source.find(event.key);
      record.take_event_context(event);
      if (found == world_.source.end()) {
        record.kind = RecordKind::erase;
      } else {
        record.payload = std::to_string(found->second);
      }
    }
  }

 private:
  World& world_;
};

class VersionSink final : public Sink {
 public:
  VersionSink(World& world, HostContext& host) : world_(world), host_(host) {}
  void write(RecordBatch& records) override {
    if (world_.write_delay.count() > 0) std::this_thread::sleep_for(world_.write_delay);
    std::uint64_t written = 0;
    std::uint64_t deleted = 0;
    const std::lock_guard lock(world_.mutex);
    for (const Record& record : records) {
      if (record.kind == RecordKind::erase) {
        world_.target.erase(record.key);
        ++deleted;
        continue;
      }
      const std::uint64_t version = std::stoull(record.payload);
      const auto previous = world_.target.find(record.key);
      if (previous != world_.target.end() && previous->second > version) {
        world_.order_violations.push_back(record.key + ": " + std::to_string(previous->second) +
                                          " then " + record.payload);
      }
      world_.target[record.key] = version;
      ++written;
    }
    Metrics::add(host_.metrics().keys_written, written);
    Metrics::add(host_.metrics().keys_deleted, deleted);
  }

 private:
  World& world_;
  HostContext& host_;
};

class LivePipeline {
 public:
  explicit LivePipeline(World& world)
      : notifications_{"test.notifications",
                       "",
                       {},
                       SourceFactory([&world](const auto&, HostContext& host) {
                         return std::make_unique<NotificationSource>(world, host);
                       })},
        walk_{"test.walk", "", {}, SourceFactory([&world](const auto& config, HostContext&) {
                return std::make_unique<WalkSource>(world, config.value("reconcile", false));
              })},
        reader_{"test.reader", "", {}, ReaderFactory([&world](const auto&, HostContext&) {
                  return std::make_unique<VersionReader>(world);
                })},
        sink_{"test.sink", "", {}, SinkFactory([&world](const auto&, HostContext& host) {
                return std::make_unique<VersionSink>(world, host);
              })} {
    spec.sources = {stage(notifications_, notifications_loaded_), stage(walk_, walk_loaded_)};
    spec.reconcile = {stage(walk_, walk_loaded_)};
    spec.reconcile.front().config = {{"reconcile", true}};
    spec.reader = stage(reader_, reader_loaded_, 4, 16);
    spec.sink = stage(sink_, sink_loaded_, 3, 16);
    spec.runtime.ordered = true;
    spec.runtime.idle_timeout = 200ms;
  }

  // Only the notifications, no walk: every key's first event is a
  // notification (a walk's events waiting for the same keys would take the
  // notifications in instead).
  void without_walk() { spec.sources.pop_back(); }

  RunSummary run(CancellationToken& cancel) {
    RunOptions options;
    options.progress = ProgressMode::none;
    return run_pipeline(spec, options, cancel);
  }
  RunSummary run() {
    CancellationToken cancel;
    return run(cancel);
  }

  PipelineSpec spec;

 private:
  static StageSpec stage(const ComponentInfo& info, LoadedComponent& loaded, int threads = 1,
                         std::size_t batch_size = 200) {
    loaded.info = &info;
    loaded.file = "in-process";
    StageSpec spec;
    spec.component = info.name;
    spec.config = nlohmann::json::object();
    spec.threads = threads;
    spec.batch_size = batch_size;
    spec.resolved = &loaded;
    return spec;
  }

  ComponentInfo notifications_, walk_, reader_, sink_;
  LoadedComponent notifications_loaded_, walk_loaded_, reader_loaded_, sink_loaded_;
};

void expect_target_equals_source(World& world) {
  const std::lock_guard lock(world.mutex);
  EXPECT_EQ(world.target, world.source);
  EXPECT_TRUE(world.order_violations.empty())
      << world.order_violations.size()
      << " writes overtook newer ones, first: " << world.order_violations.front();
}

TEST(LiveRuntime, FollowsEveryChangeInOrderUntilTheIdleTimeout) {
  World world;
  LivePipeline pipeline(world);
  const RunSummary summary = pipeline.run();

  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_TRUE(summary.live);
  EXPECT_TRUE(summary.idle_timeout);
  EXPECT_FALSE(summary.interrupted);
  EXPECT_EQ(summary.events_received, world.keys * world.rewrites);
  EXPECT_GT(summary.events_applied, 0u);
  EXPECT_GT(summary.keys_deleted, 0u);
  ASSERT_TRUE(summary.lag);
  EXPECT_EQ(summary.lag->samples, summary.events_applied);
  EXPECT_LE(summary.lag->p50_ms, summary.lag->p99_ms);
  EXPECT_LE(summary.lag->p99_ms, summary.lag->max_ms);
  expect_target_equals_source(world);
  // Subscribed before the walk began.
  EXPECT_EQ(world.connect_order, (std::vector<std::string>{"notifications", "walk"}));
  // The walk's three partitions ran on threads of the host.
  EXPECT_EQ(world.partition_threads.size(), 3u);
}

TEST(LiveRuntime, AKeyRewrittenWhileItWaitsIsReadOnceForSeveralChanges) {
  World world;
  world.keys = 5;
  world.rewrites = 2000;
  world.delete_every_tenth = false;
  world.write_delay = 200us;  // the sinks lag: changes pile up on waiting keys
  LivePipeline pipeline(world);
  const RunSummary summary = pipeline.run();

  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_GT(summary.events_coalesced, 0u);
  EXPECT_LT(summary.events_applied, summary.events_received);
  expect_target_equals_source(world);
}

TEST(LiveRuntime, ARequestedReconciliationRereadsTheKeysAndRecoversWhatWasMissed) {
  World world;
  world.lose_events = true;  // the last version of every key is never notified
  world.request_reconciliation = true;
  LivePipeline pipeline(world);
  const RunSummary summary = pipeline.run();

  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_EQ(summary.recoveries, 1u);
  EXPECT_EQ(world.reconcile_passes.load(), 1);
  EXPECT_GT(world.reconcile_events_seen.load(), 0);
  expect_target_equals_source(world);
}

TEST(LiveRuntime, AnOverflowingEventQueueIsMadeUpByReconciliation) {
  World world;
  world.keys = 200;
  world.rewrites = 5;
  world.write_delay = 2ms;
  world.lose_events = false;
  LivePipeline pipeline(world);
  pipeline.spec.runtime.event_queue = 8;
  pipeline.without_walk();
  const RunSummary summary = pipeline.run();

  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_GT(summary.events_overflowed, 0u);
  EXPECT_GE(summary.recoveries, 1u);
  EXPECT_GE(world.reconcile_passes.load(), 1);
  expect_target_equals_source(world);
}

TEST(LiveRuntime, ASignalFinishesCleanlyWritingWhatWasRead) {
  World world;
  world.write_delay = 1ms;
  LivePipeline pipeline(world);
  pipeline.spec.runtime.idle_timeout = 0ms;  // would never end on its own
  CancellationToken cancel;
  std::thread signal([&] {
    std::this_thread::sleep_for(100ms);
    cancel.cancel();
  });
  const RunSummary summary = pipeline.run(cancel);
  signal.join();

  EXPECT_TRUE(summary.interrupted);
  EXPECT_FALSE(summary.fatal_error) << *summary.fatal_error;
  EXPECT_FALSE(summary.idle_timeout);
  // Every change the source had announced before it finished was written.
  expect_target_equals_source(world);
}

}  // namespace
}  // namespace riot::host
