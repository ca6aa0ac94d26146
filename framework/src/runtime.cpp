// Runs a validated pipeline: a source thread, reader workers and sink
// workers joined by two bounded queues of batches.
//
//   source --KeyBatch--> [keys queue] --> readers --RecordBatch--> [records queue] --> sinks
//
// Shutdown on success flows downstream: the source returns, the keys queue is
// closed, the readers drain it and the last one closes the records queue, the
// sinks drain that, flush and return. Any error, or a cancellation from
// outside, stops everything at once: the run's token is cancelled and both
// queues are aborted so that no thread stays blocked.

#include "riot/host/runtime.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bounded_queue.hpp"
#include "host_context_impl.hpp"
#include "progress.hpp"
#include "read_rounds.hpp"
#include "runtime_batching.hpp"
#include "runtime_components.hpp"

namespace riot::host {

namespace {

using Clock = std::chrono::steady_clock;

// How often the supervising thread looks at the caller's token and the
// progress display.
constexpr auto kSupervisionPeriod = std::chrono::milliseconds(100);

// A queue holds `queue_capacity` keys or records, as whole batches; at least
// two, so that a producer can fill one while the consumer works on another.
std::size_t queue_batches(const StageSpec& stage) {
  return std::max<std::size_t>(2,
                               stage.queue_capacity / std::max<std::size_t>(1, stage.batch_size));
}

// Names show in `top -H` and debuggers; Linux allows 15 characters.
void name_this_thread(const std::string& name) {
  ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
}

class PipelineRun {
 public:
  PipelineRun(const PipelineSpec& spec, const RunOptions& options, CancellationToken& external)
      : spec_(spec),
        options_(options),
        external_cancel_(external),
        host_(spdlog::default_logger(), options.keys_named_per_cause),
        keys_(queue_batches(spec.reader), spec.reader.queue_bytes),
        records_(queue_batches(spec.sink), spec.sink.queue_bytes) {}

  RunSummary run();

 private:
  void start_workers(RunComponents& components, std::vector<std::thread>& threads);
  template <typename Body>
  void launch(std::vector<std::thread>& threads, std::string name, const char* stage, Body body);

  void run_source(Source& source);
  void run_reader(Reader& reader);
  void run_sink(Sink& sink);

  void supervise();
  // Takes the source's latest estimate, when it has a new one.
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
  HostContextImpl host_;
  BoundedQueue<KeyBatch> keys_;
  BoundedQueue<RecordBatch> records_;
  Clock::time_point start_ = Clock::now();
  std::atomic<std::int64_t> total_estimate_{-1};  // -1: the source gave none
  const Source* source_ = nullptr;                // while its components exist
  std::atomic<int> readers_running_{0};

  mutable std::mutex state_mutex_;
  std::condition_variable worker_exited_;
  int workers_running_ = 0;
  std::optional<std::string> fatal_error_;
  std::optional<std::string> refused_;
  bool interrupted_ = false;
};

RunSummary PipelineRun::run() {
  if (external_cancel_.cancelled()) {
    interrupted_ = true;
    return summary();
  }
  RunComponents components;
  try {
    components = create_components(spec_, host_);
  } catch (const std::exception& error) {
    fatal_error_ = error.what();  // nothing runs
    return summary();
  }
  if (std::optional<std::string> refusal = host_.refuse_overlapping_endpoints()) {
    refused_ = std::move(refusal);  // nothing runs
    return summary();
  }

  source_ = components.source.get();
  std::vector<std::thread> threads;
  start_workers(components, threads);
  supervise();
  for (std::thread& thread : threads) thread.join();
  refresh_estimate();  // the source's last word, for the summary
  source_ = nullptr;
  log_keys_left_behind();

  RunSummary result = summary();
  // Components go now, while the host context they refer to still exists and
  // before the caller may unload their libraries.
  components = {};
  return result;
}

void PipelineRun::start_workers(RunComponents& components, std::vector<std::thread>& threads) {
  readers_running_ = static_cast<int>(components.readers.size());
  try {
    launch(threads, "riot-source", "source",
           [this, &source = *components.source] { run_source(source); });
    for (std::size_t i = 0; i < components.readers.size(); ++i) {
      launch(threads, "riot-read-" + std::to_string(i), "reader",
             [this, &reader = *components.readers[i]] { run_reader(reader); });
    }
    for (std::size_t i = 0; i < components.sinks.size(); ++i) {
      launch(threads, "riot-write-" + std::to_string(i), "sink",
             [this, &sink = *components.sinks[i]] { run_sink(sink); });
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

void PipelineRun::run_source(Source& source) {
  if (auto estimate = source.estimate_total()) {
    total_estimate_ = static_cast<std::int64_t>(*estimate);
  }
  QueueKeyBatchWriter writer(keys_, spec_.reader.batch_size);
  source.run(writer);
  writer.flush();
  keys_.close();
}

void PipelineRun::run_reader(Reader& reader) {
  // The last reader out closes the records queue, however it leaves.
  struct LastOneClosesRecords {
    PipelineRun& run;
    ~LastOneClosesRecords() {
      if (--run.readers_running_ == 0) run.records_.close();
    }
  } closer{*this};

  BatchAssembler<Record> to_sinks(records_, spec_.sink.batch_size, spec_.sink.batch_bytes);
  ReadRounds rounds(spec_.reader.batch_bytes);
  RecordBatch records;
  KeyBatch round;  // a part of a batch, when the batch is read in several rounds
  while (auto keys = keys_.pop()) {
    for (std::size_t done = 0; done < keys->size();) {
      if (host_.cancellation().cancelled()) return;
      const std::size_t count = rounds.next_round(keys->size() - done);
      KeyBatch* batch = &*keys;
      if (count < keys->size()) {
        const auto first = keys->begin() + static_cast<std::ptrdiff_t>(done);
        round.assign(std::make_move_iterator(first),
                     std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count)));
        batch = &round;
      }
      reader.read(*batch, records);
      std::size_t bytes = 0;
      std::size_t largest = 0;
      for (const Record& record : records) {
        bytes += item_bytes(record);
        largest = std::max(largest, item_bytes(record));
      }
      rounds.record(count, bytes, largest);
      if (!to_sinks.add(records)) return;
      done += count;
    }
  }
  to_sinks.flush();
}

void PipelineRun::run_sink(Sink& sink) {
  while (auto records = records_.pop()) {
    if (host_.cancellation().cancelled()) break;
    sink.write(*records);
  }
  // Also after a stop: what the sink buffered is applied rather than lost.
  sink.flush();
}

// The calling thread watches the run: the caller's token (a signal), the
// progress display, and the workers' end.
void PipelineRun::supervise() {
  ProgressReporter progress(options_.progress, options_.log_interval);
  std::unique_lock lock(state_mutex_);
  while (workers_running_ > 0) {
    worker_exited_.wait_for(lock, kSupervisionPeriod);
    lock.unlock();
    if (external_cancel_.cancelled()) interrupt();
    refresh_estimate();
    progress.update(snapshot());
    lock.lock();
  }
  const bool completed = !fatal_error_ && !interrupted_;
  lock.unlock();
  progress.finish(snapshot(), completed);
}

void PipelineRun::refresh_estimate() {
  if (source_ == nullptr) return;
  if (const std::optional<std::uint64_t> estimate = source_->current_estimate())
    total_estimate_ = static_cast<std::int64_t>(*estimate);
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
                                metrics.keys_skipped.load() + metrics.keys_expired.load();
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

void PipelineRun::interrupt() {
  {
    std::lock_guard lock(state_mutex_);
    if (interrupted_) return;
    interrupted_ = true;
  }
  host_.logger().info("interrupted: stopping the run");
  stop_everything();
}

// Batches still queued are abandoned; the batch each worker holds ends as the
// component decides (components poll the token between commands).
void PipelineRun::stop_everything() {
  host_.cancel();
  keys_.abort();
  records_.abort();
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
  return snapshot;
}

RunSummary PipelineRun::summary() const {
  const Metrics& metrics = host_.metrics();
  RunSummary summary;
  summary.keys_total_estimate =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, total_estimate_));
  summary.keys_scanned = metrics.keys_scanned.load();
  summary.keys_read = metrics.keys_read.load();
  summary.keys_skipped = metrics.keys_skipped.load();
  summary.keys_written = metrics.keys_written.load();
  summary.keys_deleted = metrics.keys_deleted.load();
  summary.keys_expired = metrics.keys_expired.load();
  summary.keys_failed = metrics.keys_failed.load();
  summary.bytes_read = metrics.bytes_read.load();
  summary.bytes_written = metrics.bytes_written.load();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  summary.failure_causes = host_.failure_causes();
  summary.notes = host_.summary_notes();
  std::lock_guard lock(state_mutex_);
  summary.refused = refused_;
  summary.interrupted = interrupted_;
  summary.fatal_error = fatal_error_;
  return summary;
}

}  // namespace

RunSummary run_pipeline(const PipelineSpec& spec, const RunOptions& options,
                        CancellationToken& cancel) {
  PipelineRun run(spec, options, cancel);
  return run.run();
}

}  // namespace riot::host
