#pragma once
// SIGINT and SIGTERM, handled by one dedicated thread rather than an
// asynchronous handler: the signals are blocked in every thread and that
// thread takes them with sigwait, so it may log, lock and cancel freely.
//
// During a run, the first signal cancels the run (which then stops, prints
// its summary and exits 130); a second one exits at once. Outside a run
// (loading plugins, reading stdin) a signal exits at once.

#include <atomic>
#include <csignal>
#include <thread>

#include "riot/cancellation.hpp"

namespace riot::app {

class SignalWatcher {
 public:
  // Blocks the signals in the calling thread, and so in every thread created
  // after: construct it first thing in main, before any other thread exists.
  SignalWatcher();
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // The token of the process's run, cancelled by the first signal while a
  // RunScope is alive.
  CancellationToken& run_cancellation() noexcept { return run_cancellation_; }

  // Marks the span of a run: inside it a first signal cancels, outside it
  // exits.
  class RunScope {
   public:
    explicit RunScope(SignalWatcher& watcher) : watcher_(watcher) { watcher_.run_active_ = true; }
    ~RunScope() { watcher_.run_active_ = false; }
    RunScope(const RunScope&) = delete;
    RunScope& operator=(const RunScope&) = delete;

   private:
    SignalWatcher& watcher_;
  };

 private:
  void wait_for_signals();

  sigset_t signals_{};
  CancellationToken run_cancellation_;
  std::atomic<bool> run_active_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace riot::app
