// Runs a validated pipeline:
//
//   sources --KeyBatch--> [key dispatch] --> readers --RecordBatch--> [record queues] --> sinks
//   (a thread per partition)  (shared or keyed lanes)                 (one, or one per sink)
//
// Sources are created, then connected in order, before any runs: a
// subscription exists before the scan starts. Ordered pipelines (live
// replication) route every key through one reader and one sink lane, so that
// a key's changes are applied in order; the others let any worker take any
// batch.
//
// Shutdown on success flows downstream: the sources return (bounded ones when
// exhausted, unbounded ones once asked to finish: idle timeout, a signal),
// the reconciliation thread stops, the key dispatch is closed, the readers
// drain it and the last one closes the record queues, the sinks drain those,
// flush and return. Any error, or an interruption of a run without unbounded
// sources, stops everything at once: the run's token is cancelled and every
// queue aborted so that no thread stays blocked.

#include "riot/host/runtime.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bounded_queue.hpp"
#include "event_lanes.hpp"
#include "host_context_impl.hpp"
#include "key_dispatch.hpp"
#include "key_transform_chain.hpp"
#include "lag_recorder.hpp"
#include "pipeline_pass.hpp"
#include "progress.hpp"
#include "rate_limiter.hpp"
#include "read_rounds.hpp"
#include "reconciliation_requests.hpp"
#include "runtime_batching.hpp"
#include "runtime_components.hpp"

namespace riot::host {

namespace {

using Clock = std::chrono::steady_clock;

// How often the supervising thread looks at the caller's token, the idle
// timeout and the progress display.
constexpr auto kSupervisionPeriod = std::chrono::milliseconds(100);

// A queue holds `queue_capacity` keys or records, as whole batches; at least
// two, so that a producer can fill one while the consumer works on another.
std::size_t queue_batches(const StageSpec& stage, std::size_t lanes = 1) {
  const std::size_t per_lane = stage.queue_capacity / std::max<std::size_t>(1, lanes);
  return std::max<std::size_t>(2, per_lane / std::max<std::size_t>(1, stage.batch_size));
}

// Names show in `top -H` and debuggers; Linux allows 15 characters.
void name_this_thread(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

std::size_t worker_count(const StageSpec& stage) {
  return static_cast<std::size_t>(std::max(1, stage.threads));
}

std::unique_ptr<KeyDispatch> make_dispatch(const PipelineSpec& spec) {
  if (!spec.runtime.ordered) {
    return std::make_unique<SharedKeyQueue>(spec.reader.batch_size, queue_batches(spec.reader),
                                            spec.reader.queue_bytes);
  }
  EventLaneSettings lanes;
  lanes.lanes = worker_count(spec.reader);
  lanes.batch_size = spec.reader.batch_size;
  lanes.walk_capacity = spec.reader.queue_capacity;
  lanes.event_capacity = spec.runtime.event_queue;
  lanes.order = spec.runtime.event_order;
  return std::make_unique<EventLanes>(lanes);
}

class PipelineRun final : public RunningPass {
 public:
  PipelineRun(const PipelineSpec& spec, const RunOptions& options, CancellationToken& external,
              PassSetup setup)
      : spec_(spec),
        options_(options),
        external_cancel_(external),
        setup_(std::move(setup)),
        host_(spdlog::default_logger(), options.keys_named_per_cause),
        dispatch_(make_dispatch(spec)),
        rates_(setup_.rates ? setup_.rates : std::make_shared<PipelineRateLimits>(spec.runtime)),
        rate_waited_at_start_(rates_->reads.seconds_waited()) {
    host_.set_comparison(setup_.outcomes);
    // One queue per sink: a key's records (a big key's chunks) always go to
    // the same sink, in order.
    const std::size_t lanes = worker_count(spec.output());
    for (std::size_t i = 0; i < lanes; ++i) {
      record_queues_.push_back(std::make_unique<BoundedQueue<RecordBatch>>(
          queue_batches(spec.output(), lanes), spec.output().queue_bytes / lanes));
    }
    host_.set_reconciliation_handler(
        [this](std::string_view reason) { request_reconciliation(reason); });
  }

  RunSummary run();

  // RunningPass: what the run report and the metrics endpoint see.
  const std::string& pipeline() const override { return spec_.name; }
  std::string_view pass() const override { return setup_.pass; }
  const Metrics& metrics() const override { return host_.metrics(); }
  QueueDepths queue_depths() const override;
  std::optional<LagFigures> recent_lag() const override { return lag_.recent(Clock::now()); }
  std::optional<LagFigures> overall_lag() const override { return lag_.overall(); }
  std::optional<ComparisonCounts> comparison() const override;

 private:
  // What a source partition pushes to: the key dispatch, with the run's
  // accounting. Events of reconciliation passes are marked as such.
  class PartitionWriter final : public KeyBatchWriter {
   public:
    PartitionWriter(PipelineRun& run, bool reconciliation, bool walks_target)
        : run_(run), reconciliation_(reconciliation), walks_target_(walks_target) {}
    ~PartitionWriter() override { following(true); }
    bool push(KeyBatch&& batch) override {
      return run_.admit(batch, reconciliation_, walks_target_);
    }
    bool finish_requested() const override { return run_.finish_.cancelled(); }
    void following(bool yes) override {
      if (yes == following_) return;
      following_ = yes;
      run_.partitions_in_gap_ += yes ? -1 : 1;
      run_.last_activity_ = Clock::now().time_since_epoch().count();
    }

   private:
    PipelineRun& run_;
    bool reconciliation_;
    bool walks_target_;  // its keys are target keys
    bool following_ = true;
  };

  bool connect_sources(RunComponents& components);
  void take_initial_estimates(RunComponents& components);
  void start_workers(RunComponents& components, std::vector<std::thread>& threads);
  template <typename Body>
  void launch(std::vector<std::thread>& threads, std::string name, const char* stage, Body body);

  bool admit(KeyBatch& batch, bool reconciliation, bool walks_target);
  void source_partition_done(bool bounded);
  void request_reconciliation(std::string_view reason);
  void run_reconciliations(RunComponents& components);
  void run_reconciliation_pass(RunComponents& components);
  // What a reader worker hands its records to: the sinks' lanes, with the
  // accounting of the round being read.
  class ReaderOutput final : public RecordBatchWriter {
   public:
    ReaderOutput(PipelineRun& run, std::size_t worker);
    bool hand_over(RecordBatch& records) override;
    // Pushes what the lanes' assemblers hold (the reader's end).
    bool flush();

    void start_round() { round_keys_ = round_bytes_ = round_largest_ = 0; }
    // Keys of the round whose last record was handed over, and the bytes of
    // the records handed over early.
    std::size_t round_keys() const { return round_keys_; }
    std::size_t round_bytes() const { return round_bytes_; }
    std::size_t round_largest() const { return round_largest_; }

   private:
    PipelineRun& run_;
    std::vector<BatchAssembler<Record>> assemblers_;  // per sink lane; none when ordered
    const std::uint64_t reading_base_;                // the worker's number, in the high bits
    std::uint64_t readings_ = 0;
    // The keys whose first chunk this reader handed over and whose last it
    // has not yet: the reading each belongs to.
    std::unordered_map<std::string, std::uint64_t> open_readings_;
    std::size_t round_keys_ = 0;
    std::size_t round_bytes_ = 0;
    std::size_t round_largest_ = 0;
  };

  void run_reader(std::size_t worker, Reader& reader);
  void send_to_sinks(RecordBatch& records, std::vector<BatchAssembler<Record>>& assemblers);
  void close_record_queues();
  void run_sink(std::size_t worker, Sink& sink);
  void settled(std::size_t count) { pending_.fetch_sub(static_cast<std::int64_t>(count)); }

  void supervise();
  bool idle_timeout_reached(Clock::time_point now) const;
  void finish(const std::string& why);
  // Takes the sources' latest estimate, when they have a new one.
  void refresh_estimate();
  void log_keys_left_behind();
  void fail(const char* stage, const std::string& message);
  void interrupt();
  void stop_everything();

  ProgressSnapshot snapshot() const;
  RunSummary summary() const;

  const PipelineSpec& spec_;
  const RunOptions& options_;
  CancellationToken& external_cancel_;
  PassSetup setup_;
  HostContextImpl host_;
  std::unique_ptr<KeyDispatch> dispatch_;
  KeyTransformChain transforms_;  // over the run's transform components
  std::vector<std::unique_ptr<BoundedQueue<RecordBatch>>> record_queues_;
  LagRecorder lag_;
  ReconciliationRequests reconciliations_;
  CancellationToken finish_;  // unbounded sources are asked to finish
  std::shared_ptr<PipelineRateLimits> rates_;
  const double rate_waited_at_start_;  // the limiter is the pipeline's, shared by its passes
  Clock::time_point start_ = Clock::now();
  std::atomic<Clock::rep> walks_ended_{0};  // when the last bounded partition ended; 0: not yet

  // The sources whose estimates make the total, while their components exist.
  std::vector<const Source*> estimated_sources_;
  std::vector<std::optional<std::uint64_t>> initial_estimates_;
  std::atomic<std::int64_t> total_estimate_{-1};  // -1: no source gave one
  bool has_unbounded_sources_ = false;

  std::atomic<int> main_partitions_running_{0};
  std::atomic<int> bounded_partitions_running_{0};
  std::atomic<int> readers_running_{0};
  // Events taken in and not settled yet (written, skipped, failed, coalesced
  // away): zero, with nothing waiting, means the pipeline is idle.
  std::atomic<std::int64_t> pending_{0};
  // Source partitions that cannot follow changes now (KeyBatchWriter::following).
  std::atomic<int> partitions_in_gap_{0};
  std::atomic<Clock::rep> last_activity_{Clock::now().time_since_epoch().count()};

  mutable std::mutex state_mutex_;
  std::condition_variable worker_exited_;
  int workers_running_ = 0;
  std::optional<std::string> fatal_error_;
  std::optional<std::string> refused_;
  bool interrupted_ = false;
  bool idle_timeout_ = false;
};

RunSummary PipelineRun::run() {
  if (external_cancel_.cancelled()) {
    interrupted_ = true;
    return summary();
  }
  RunComponents components;
  try {
    components = create_components(spec_, host_, !setup_.sources_read_target);
    if (setup_.source) components.sources.push_back(std::move(setup_.source));
  } catch (const std::exception& error) {
    fatal_error_ = error.what();  // nothing runs
    return summary();
  }
  if (std::optional<std::string> refusal = host_.refuse_overlapping_endpoints()) {
    refused_ = std::move(refusal);  // nothing runs
    return summary();
  }
  transforms_ = KeyTransformChain(components.transforms);
  if (std::optional<std::string> note =
          transforms_.untraceable_walks(spec_, setup_.sources_read_target)) {
    host_.logger().warn("{}", *note);
    host_.add_summary_note(*note);
    if (setup_.sources_read_target) return summary();  // the walk is the whole pass
  }
  if (!connect_sources(components)) return summary();
  try {
    take_initial_estimates(components);
  } catch (const std::exception& error) {
    fatal_error_ = std::string("source: ") + error.what();  // nothing runs
    return summary();
  }

  std::vector<std::thread> threads;
  start_workers(components, threads);
  supervise();
  for (std::thread& thread : threads) thread.join();
  refresh_estimate();  // the sources' last word, for the summary
  estimated_sources_.clear();
  log_keys_left_behind();

  RunSummary result = summary();
  // Components go now, while the host context they refer to still exists and
  // before the caller may unload their libraries.
  components = {};
  return result;
}

// Every source connects (subscribes) before any runs, in the document's
// order; a source that refuses to start (notifications off) stops the run
// before anything is copied.
bool PipelineRun::connect_sources(RunComponents& components) {
  for (std::size_t i = 0; i < components.sources.size(); ++i) {
    try {
      components.sources[i]->connect();
    } catch (const std::exception& error) {
      fatal_error_ = std::string("source: ") + error.what();
      return false;
    }
    if (components.sources[i]->unbounded()) has_unbounded_sources_ = true;
  }
  return true;
}

void PipelineRun::take_initial_estimates(RunComponents& components) {
  std::optional<std::uint64_t> total;
  for (auto& source : components.sources) {
    if (source->unbounded()) continue;
    estimated_sources_.push_back(source.get());
    const std::optional<std::uint64_t> estimate = source->estimate_total();
    initial_estimates_.push_back(estimate);
    if (estimate) total = total.value_or(0) + *estimate;
  }
  if (total) total_estimate_ = static_cast<std::int64_t>(*total);
}

void PipelineRun::start_workers(RunComponents& components, std::vector<std::thread>& threads) {
  readers_running_ = static_cast<int>(components.readers.size());
  int main_partitions = 0;
  int bounded_partitions = 0;
  for (auto& source : components.sources) {
    const auto partitions = static_cast<int>(source->partition_count());
    main_partitions += partitions;
    if (!source->unbounded()) bounded_partitions += partitions;
  }
  main_partitions_running_ = main_partitions;
  bounded_partitions_running_ = bounded_partitions;
  try {
    for (std::size_t s = 0; s < components.sources.size(); ++s) {
      Source& source = *components.sources[s];
      for (std::size_t p = 0; p < source.partition_count(); ++p) {
        launch(threads, "riot-src-" + std::to_string(s) + "." + std::to_string(p), "source",
               [this, &source, p] {
                 struct Done {
                   PipelineRun& run;
                   bool bounded;
                   ~Done() { run.source_partition_done(bounded); }
                 } done{*this, !source.unbounded()};
                 PartitionWriter writer(*this, false, setup_.sources_read_target);
                 source.run(p, writer);
               });
      }
    }
    if (main_partitions == 0) source_partition_done(true);  // nothing to wait for
    if (!components.reconcile.empty()) {
      launch(threads, "riot-reconcile", "reconciliation",
             [this, &components] { run_reconciliations(components); });
    }
    for (std::size_t i = 0; i < components.readers.size(); ++i) {
      launch(threads, "riot-read-" + std::to_string(i), "reader",
             [this, i, &reader = *components.readers[i]] { run_reader(i, reader); });
    }
    for (std::size_t i = 0; i < components.sinks.size(); ++i) {
      launch(threads, "riot-write-" + std::to_string(i), "sink",
             [this, i, &sink = *components.sinks[i]] { run_sink(i, sink); });
    }
  } catch (const std::exception& error) {
    // Out of threads or memory: stop those already started.
    fail("runtime", std::string("cannot start a worker thread: ") + error.what());
  }
}

// Runs `body` on a new thread. An exception escaping it is the run's fatal
// error; the supervisor learns that the thread is done either way.
template <typename Body>
void PipelineRun::launch(std::vector<std::thread>& threads, std::string name, const char* stage,
                         Body body) {
  {
    std::lock_guard lock(state_mutex_);
    ++workers_running_;
  }
  auto worker = [this, name = std::move(name), stage, body = std::move(body)] {
    name_this_thread(name);
    try {
      body();
    } catch (const std::exception& error) {
      fail(stage, error.what());
    } catch (...) {
      fail(stage, "unknown error");
    }
    {
      std::lock_guard lock(state_mutex_);
      --workers_running_;
    }
    worker_exited_.notify_all();
  };
  try {
    threads.emplace_back(std::move(worker));
  } catch (...) {
    std::lock_guard lock(state_mutex_);
    --workers_running_;
    throw;
  }
}

bool PipelineRun::admit(KeyBatch& batch, bool reconciliation, bool walks_target) {
  if (const std::size_t left_out =
          walks_target ? transforms_.unmap(batch) : transforms_.select(batch)) {
    Metrics::add(host_.metrics().keys_filtered, left_out);
  }
  if (batch.empty()) return !host_.cancellation().cancelled();
  std::size_t notifications = 0;
  for (KeyEvent& event : batch) {
    if (reconciliation) event.origin = KeyOrigin::reconcile;
    if (event.origin == KeyOrigin::notification) ++notifications;
  }
  // Walks go no faster than the reads they feed; notifications never wait.
  if (notifications < batch.size() &&
      !rates_->walks.wait_for_keys(batch.size() - notifications, [this] {
        return host_.cancellation().cancelled() || finish_.cancelled();
      })) {
    return false;
  }
  Metrics& metrics = host_.metrics();
  if (notifications > 0) Metrics::add(metrics.events_received, notifications);
  last_activity_ = Clock::now().time_since_epoch().count();
  // Counted before the events become visible to readers, so that the count
  // never shows the pipeline idle while they are on their way.
  const std::size_t count = batch.size();
  pending_ += static_cast<std::int64_t>(count);
  const std::optional<Admission> admission = dispatch_->push(batch);
  if (!admission) {
    settled(count);
    return false;
  }
  settled(admission->coalesced + admission->overflowed);
  // Events of notifications: a walk's event merged into a notification
  // waiting for its key is no event of the kind the summary counts.
  if (admission->coalesced_notifications > 0)
    Metrics::add(metrics.events_coalesced, admission->coalesced_notifications);
  if (admission->overflowed > 0) {
    Metrics::add(metrics.events_overflowed, admission->overflowed);
    request_reconciliation("the event queue is full (" + std::to_string(spec_.runtime.event_queue) +
                           " events waiting): notifications were not queued");
  }
  return true;
}

void PipelineRun::source_partition_done(bool bounded) {
  if (bounded && --bounded_partitions_running_ == 0)
    walks_ended_ = Clock::now().time_since_epoch().count();
  if (--main_partitions_running_ > 0) return;
  // The last source partition is done: no pass may start any more.
  if (reconciliations_.stop()) {
    host_.logger().warn(
        "the run ends with a reconciliation pass pending: changes missed before the end may be "
        "missing on the target");
  }
  if (spec_.reconcile.empty()) dispatch_->close();  // else the reconciliation thread does
}

void PipelineRun::request_reconciliation(std::string_view reason) {
  Metrics::add(host_.metrics().recoveries, 1);
  if (spec_.reconcile.empty()) {
    host_.logger().warn(
        "{}; the pipeline has no reconciliation sources: changes made meanwhile may be missing on "
        "the target",
        reason);
    return;
  }
  if (reconciliations_.request()) {
    host_.logger().warn("{}: a reconciliation pass will re-read every key of both databases",
                        reason);
  } else {
    host_.logger().info("{}: covered by the reconciliation pass to come", reason);
  }
}

// The run's reconciliation thread: a pass whenever one is requested, until
// the sources are done; then it closes the key dispatch.
void PipelineRun::run_reconciliations(RunComponents& components) {
  struct ClosesDispatch {
    PipelineRun& run;
    ~ClosesDispatch() { run.dispatch_->close(); }
  } closer{*this};
  while (reconciliations_.start_next()) {
    const Clock::time_point started = Clock::now();
    run_reconciliation_pass(components);
    reconciliations_.pass_done();
    last_activity_ = Clock::now().time_since_epoch().count();
    // Asked to finish, the pass stopped early; the loop goes on until the
    // sources are done, so that the dispatch closes after their last push.
    if (finish_.cancelled()) continue;
    host_.logger().info("reconciliation pass done in {:.1f} s",
                        std::chrono::duration<double>(Clock::now() - started).count());
  }
}

// Every partition of every reconciliation source, each on a thread of its
// own, as the sources of the run.
void PipelineRun::run_reconciliation_pass(RunComponents& components) {
  std::vector<std::thread> walkers;
  std::mutex failure_mutex;
  std::optional<std::string> failure;
  for (std::size_t s = 0; s < components.reconcile.size(); ++s) {
    Source& source = *components.reconcile[s];
    const bool walks_target = spec_.reconcile[s].walks_target;
    if (walks_target && !transforms_.invertible()) continue;  // said once, at the start
    for (std::size_t p = 0; p < source.partition_count(); ++p) {
      walkers.emplace_back([&, s, p, walks_target] {
        name_this_thread("riot-rec-" + std::to_string(s) + "." + std::to_string(p));
        try {
          PartitionWriter writer(*this, true, walks_target);
          source.run(p, writer);
        } catch (const std::exception& error) {
          const std::lock_guard lock(failure_mutex);
          if (!failure) failure = error.what();
        }
      });
    }
  }
  for (std::thread& walker : walkers) walker.join();
  if (failure) throw std::runtime_error("reconciliation pass: " + *failure);
}

void PipelineRun::run_reader(std::size_t worker, Reader& reader) {
  // The last reader out closes the record queues, however it leaves.
  struct LastOneClosesRecords {
    PipelineRun& run;
    ~LastOneClosesRecords() {
      if (--run.readers_running_ == 0) run.close_record_queues();
    }
  } closer{*this};

  ReaderOutput output(*this, worker);
  ReadRounds rounds(spec_.reader.batch_bytes);
  RecordBatch records;
  KeyBatch keys;
  KeyBatch round;  // a part of a batch, when the batch is read in several rounds
  while (dispatch_->pop(worker, keys)) {
    for (std::size_t done = 0; done < keys.size();) {
      if (host_.cancellation().cancelled()) return;
      const std::size_t count = rounds.next_round(keys.size() - done);
      KeyBatch* batch = &keys;
      if (count < keys.size()) {
        const auto first = keys.begin() + static_cast<std::ptrdiff_t>(done);
        round.assign(std::make_move_iterator(first),
                     std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count)));
        batch = &round;
      }
      const auto stopped = [this] { return host_.cancellation().cancelled(); };
      if (!rates_->reads.wait_for_keys(count, stopped)) return;
      output.start_round();
      reader.read(*batch, records, output);
      std::size_t bytes = 0;
      std::size_t largest = 0;
      for (const Record& record : records) {
        bytes += item_bytes(record);
        largest = std::max(largest, item_bytes(record));
      }
      rounds.record(count, bytes + output.round_bytes(), std::max(largest, output.round_largest()));
      rates_->reads.charge_bytes(Clock::now(), bytes + output.round_bytes());
      output.hand_over(records);
      // Limited reads come slowly: what was read goes on at once rather
      // than wait for a full write batch (batch_size / rate seconds).
      if (rates_->reads.limited()) output.flush();
      // Keys that made no record (gone, failed) are settled here, the others
      // once a sink wrote the record that completes them.
      settled(count - std::min(count, output.round_keys()));
      if (host_.cancellation().cancelled()) return;
      done += count;
    }
    keys.clear();
  }
  output.flush();
}

PipelineRun::ReaderOutput::ReaderOutput(PipelineRun& run, std::size_t worker)
    : run_(run), reading_base_((static_cast<std::uint64_t>(worker) + 1) << 40) {
  if (run.spec_.runtime.ordered) return;
  assemblers_.reserve(run.record_queues_.size());
  for (auto& queue : run.record_queues_)
    assemblers_.emplace_back(*queue, run.spec_.output().batch_size, run.spec_.output().batch_bytes);
}

bool PipelineRun::ReaderOutput::hand_over(RecordBatch& records) {
  run_.transforms_.rename(records);  // the target's names from here on
  for (Record& record : records) {
    const std::size_t bytes = item_bytes(record);
    round_bytes_ += bytes;
    round_largest_ = std::max(round_largest_, bytes);
    if (record.completes_key()) ++round_keys_;
    if (record.kind != RecordKind::value || record.chunk.is_whole()) continue;
    // A first chunk starts a reading of this reader; the key's later chunks
    // belong to it (its last chunk may come after other keys' chunks).
    if (record.chunk.index == 0) {
      open_readings_[record.key] = reading_base_ | ++readings_;
    }
    const auto open = open_readings_.find(record.key);
    if (open == open_readings_.end()) continue;  // a reader's bug: left unstamped
    record.chunk.reading = open->second;
    if (record.chunk.last) open_readings_.erase(open);
  }
  run_.send_to_sinks(records, assemblers_);
  return !run_.host_.cancellation().cancelled();
}

bool PipelineRun::ReaderOutput::flush() {
  bool flushed = true;
  for (BatchAssembler<Record>& assembler : assemblers_) flushed = assembler.flush() && flushed;
  return flushed;
}

// Every record goes to the sink lane of its key, so that the chunks of a big
// key are applied in order by one sink. Ordered runs push what was read at
// once (natural batching: nothing waits for more); the others regroup into
// the sinks' batch size per lane.
void PipelineRun::send_to_sinks(RecordBatch& records,
                                std::vector<BatchAssembler<Record>>& assemblers) {
  const std::size_t lanes = record_queues_.size();
  if (!assemblers.empty() && lanes == 1) {
    assemblers.front().add(records);
    return;
  }
  if (lanes == 1) {
    std::size_t bytes = 0;
    for (const Record& record : records) bytes += item_bytes(record);
    if (!records.empty()) record_queues_.front()->push(std::move(records), bytes);
    records.clear();
    return;
  }
  std::vector<RecordBatch> by_lane(lanes);
  std::vector<std::size_t> bytes(lanes, 0);
  for (Record& record : records) {
    const std::size_t lane = lane_of(record.key, lanes);
    bytes[lane] += item_bytes(record);
    by_lane[lane].push_back(std::move(record));
  }
  records.clear();
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    if (by_lane[lane].empty()) continue;
    if (!assemblers.empty()) {
      assemblers[lane].add(by_lane[lane]);
    } else {
      record_queues_[lane]->push(std::move(by_lane[lane]), bytes[lane]);
    }
  }
}

void PipelineRun::close_record_queues() {
  for (auto& queue : record_queues_) queue->close();
}

void PipelineRun::run_sink(std::size_t worker, Sink& sink) {
  BoundedQueue<RecordBatch>& queue = *record_queues_[worker % record_queues_.size()];
  Metrics& metrics = host_.metrics();
  while (auto records = queue.pop()) {
    if (host_.cancellation().cancelled()) break;
    sink.write(*records);
    const std::size_t applied = lag_.record(*records, Clock::now());
    if (applied > 0) Metrics::add(metrics.events_applied, applied);
    settled(static_cast<std::size_t>(
        std::count_if(records->begin(), records->end(),
                      [](const Record& record) { return record.completes_key(); })));
  }
  // Also after a stop: what the sink buffered is applied rather than lost.
  sink.flush();
}

// The calling thread watches the run: the caller's token (a signal), the
// idle timeout, the progress display, and the workers' end.
void PipelineRun::supervise() {
  ProgressReporter progress(options_.progress, options_.log_interval, options_.progress_log);
  std::unique_lock lock(state_mutex_);
  while (workers_running_ > 0) {
    worker_exited_.wait_for(lock, kSupervisionPeriod);
    lock.unlock();
    if (external_cancel_.cancelled()) interrupt();
    if (idle_timeout_reached(Clock::now())) {
      {
        std::lock_guard state(state_mutex_);
        idle_timeout_ = true;
      }
      finish("idle timeout: no change for " + std::to_string(spec_.runtime.idle_timeout.count()) +
             " ms and everything written");
    }
    refresh_estimate();
    progress.update(snapshot());
    lock.lock();
  }
  const bool completed = !fatal_error_ && !interrupted_;
  lock.unlock();
  progress.finish(snapshot(), completed);
}

// The run follows changes, the walks are done, nothing waits or is on its way
// and no change came for the idle timeout.
bool PipelineRun::idle_timeout_reached(Clock::time_point now) const {
  if (!has_unbounded_sources_ || spec_.runtime.idle_timeout.count() == 0) return false;
  if (finish_.cancelled() || host_.cancellation().cancelled()) return false;
  if (bounded_partitions_running_ > 0 || reconciliations_.busy()) return false;
  if (partitions_in_gap_.load() > 0) return false;
  if (pending_.load() != 0 || dispatch_->waiting() != 0) return false;
  const Clock::time_point last{Clock::duration(last_activity_.load())};
  return now - last >= spec_.runtime.idle_timeout;
}

// Asks every source to finish: unbounded ones return, walks stop; what was
// taken in is written as on a normal end.
void PipelineRun::finish(const std::string& why) {
  if (finish_.cancelled()) return;
  host_.logger().info("{}: finishing", why);
  finish_.cancel();
}

void PipelineRun::refresh_estimate() {
  if (estimated_sources_.empty()) return;
  bool refined = false;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < estimated_sources_.size(); ++i) {
    const std::optional<std::uint64_t> current = estimated_sources_[i]->current_estimate();
    if (current) refined = true;
    const std::optional<std::uint64_t> estimate = current ? current : initial_estimates_[i];
    if (!estimate) return;  // a source without any: no total
    total += *estimate;
  }
  if (refined) total_estimate_ = static_cast<std::int64_t>(total);
}

// A run that stopped early says what became of the keys it had taken in:
// each is written, skipped, reported as failed (with its key), or was dropped
// from a queue when the run stopped; only the last are not named anywhere,
// so they are at least counted. Keys the scan had not reached are unknown.
void PipelineRun::log_keys_left_behind() {
  {
    std::lock_guard lock(state_mutex_);
    if (!fatal_error_ && !interrupted_) return;
  }
  const Metrics& metrics = host_.metrics();
  const std::uint64_t scanned = metrics.keys_scanned.load();
  const std::uint64_t settled = metrics.keys_written.load() + metrics.keys_deleted.load() +
                                metrics.keys_skipped.load() + metrics.keys_expired.load() +
                                metrics.keys_filtered.load();
  if (has_unbounded_sources_) {
    // Notifications and merged events make the counts incomparable: the
    // events still on their way are what is known.
    const std::int64_t pending = pending_.load();
    if (pending > 0)
      host_.logger().warn("the run stopped before the end: {} events taken in were not written",
                          pending);
    return;
  }
  if (scanned <= settled) return;
  const std::uint64_t not_written = scanned - settled;
  const std::uint64_t failed = std::min(not_written, metrics.keys_failed.load());
  host_.logger().warn(
      "the run stopped before the end: {} of the {} keys scanned were not written ({} reported "
      "as failed, {} dropped from the queues)",
      not_written, scanned, failed, not_written - failed);
}

void PipelineRun::fail(const char* stage, const std::string& message) {
  {
    std::lock_guard lock(state_mutex_);
    if (fatal_error_) {
      // Usually a consequence of the first error (a queue aborted under a
      // worker); kept for debugging only.
      host_.logger().debug("after the run stopped: {}: {}", stage, message);
      return;
    }
    fatal_error_ = std::string(stage) + ": " + message;
  }
  host_.logger().debug("run stopped: {}: {}", stage, message);
  stop_everything();
}

// A signal. A run that follows changes finishes cleanly (what was read is
// written: a cut-over may follow); a snapshot stops at once (a second signal
// exits the process anyway).
void PipelineRun::interrupt() {
  {
    std::lock_guard lock(state_mutex_);
    if (interrupted_) return;
    interrupted_ = true;
  }
  if (has_unbounded_sources_) {
    finish("interrupted");
    return;
  }
  host_.logger().info("interrupted: stopping the run");
  stop_everything();
}

// Batches still queued are abandoned; the batch each worker holds ends as the
// component decides (components poll the token between commands).
void PipelineRun::stop_everything() {
  host_.cancel();
  finish_.cancel();
  reconciliations_.stop();
  dispatch_->abort();
  for (auto& queue : record_queues_) queue->abort();
}

ProgressSnapshot PipelineRun::snapshot() const {
  const Metrics& metrics = host_.metrics();
  ProgressSnapshot snapshot;
  if (const std::int64_t total = total_estimate_.load(); total >= 0) {
    snapshot.total = static_cast<std::uint64_t>(total);
  }
  snapshot.scanned = metrics.keys_scanned.load();
  snapshot.read = metrics.keys_read.load();
  snapshot.written = metrics.keys_written.load();
  snapshot.deleted = metrics.keys_deleted.load();
  // Expired in transit: as settled as a key gone before it was read.
  snapshot.skipped = metrics.keys_skipped.load() + metrics.keys_expired.load();
  snapshot.failed = metrics.keys_failed.load();
  if (has_unbounded_sources_) {
    ProgressSnapshot::Live live;
    live.listening = bounded_partitions_running_.load() == 0;
    live.events_received = metrics.events_received.load();
    live.waiting = dispatch_->waiting();
    if (const auto lag = lag_.recent(Clock::now())) {
      live.lag_p50_ms = lag->p50_ms;
      live.lag_p99_ms = lag->p99_ms;
    }
    snapshot.live = live;
  }
  if (const ComparisonOutcomes* outcomes = host_.comparison())
    snapshot.comparison = outcomes->counts();
  return snapshot;
}

QueueDepths PipelineRun::queue_depths() const {
  QueueDepths depths;
  depths.reader_keys = dispatch_->waiting();
  for (const auto& queue : record_queues_) {
    depths.sink_batches += queue->size();
    depths.sink_bytes += queue->bytes();
  }
  return depths;
}

std::optional<ComparisonCounts> PipelineRun::comparison() const {
  if (const ComparisonOutcomes* outcomes = host_.comparison()) return outcomes->counts();
  return std::nullopt;
}

RunSummary PipelineRun::summary() const {
  const Metrics& metrics = host_.metrics();
  RunSummary summary;
  summary.pipeline = spec_.name;
  summary.keys_total_estimate =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, total_estimate_));
  summary.keys_scanned = metrics.keys_scanned.load();
  summary.keys_read = metrics.keys_read.load();
  summary.keys_skipped = metrics.keys_skipped.load();
  summary.keys_filtered = metrics.keys_filtered.load();
  summary.keys_written = metrics.keys_written.load();
  summary.keys_deleted = metrics.keys_deleted.load();
  summary.keys_expired = metrics.keys_expired.load();
  summary.keys_failed = metrics.keys_failed.load();
  summary.keys_existing = metrics.keys_existing.load();
  summary.bytes_read = metrics.bytes_read.load();
  summary.bytes_written = metrics.bytes_written.load();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  if (const Clock::rep ended = walks_ended_.load(); ended != 0) {
    summary.scan_seconds =
        std::chrono::duration<double>(Clock::time_point(Clock::duration(ended)) - start_).count();
  }
  summary.rate_wait_seconds = rates_->reads.seconds_waited() - rate_waited_at_start_;
  summary.live = has_unbounded_sources_;
  summary.events_received = metrics.events_received.load();
  summary.events_coalesced = metrics.events_coalesced.load();
  summary.events_overflowed = metrics.events_overflowed.load();
  summary.events_applied = metrics.events_applied.load();
  summary.recoveries = metrics.recoveries.load();
  summary.lag = lag_.overall();
  summary.failure_causes = host_.failure_causes();
  summary.notes = host_.summary_notes();
  std::lock_guard lock(state_mutex_);
  summary.refused = refused_;
  summary.interrupted = interrupted_;
  summary.idle_timeout = idle_timeout_;
  summary.fatal_error = fatal_error_;
  return summary;
}

}  // namespace

RunSummary run_pass(const PipelineSpec& spec, const RunOptions& options, CancellationToken& cancel,
                    PassSetup setup) {
  PipelineRun run(spec, options, cancel, std::move(setup));
  for (RunObserver* observer : options.observers) observer->pass_started(run);
  RunSummary summary = run.run();
  for (RunObserver* observer : options.observers) observer->pass_ended(run, summary);
  return summary;
}

RunSummary run_pipeline(const PipelineSpec& spec, const RunOptions& options,
                        CancellationToken& cancel) {
  RunSummary summary =
      spec.compares() ? run_comparison(spec, options, cancel) : run_pass(spec, options, cancel, {});
  for (RunObserver* observer : options.observers) observer->pipeline_ended(summary);
  return summary;
}

}  // namespace riot::host
