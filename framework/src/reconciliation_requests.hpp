#pragma once
// The requests for reconciliation passes of a run (HostContext::
// request_reconciliation): one pass at a time, and any number of requests
// made while one is pending or running served by one further pass. Thread-
// safe; the run's reconciliation thread waits on it.

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

namespace riot::host {

class ReconciliationRequests {
 public:
  // Returns true when the request starts a new pending pass (the caller logs
  // it), false when a pending pass already covers it.
  bool request() {
    {
      const std::lock_guard lock(mutex_);
      if (stopped_ || pending_) return false;
      pending_ = true;
    }
    changed_.notify_all();
    return true;
  }

  // Waits for a pending pass and marks it running; false once stopped.
  bool start_next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return pending_ || stopped_; });
    if (stopped_) return false;
    pending_ = false;
    running_ = true;
    return true;
  }

  void pass_done() {
    const std::lock_guard lock(mutex_);
    running_ = false;
  }

  // No pass starts after this; a pending one is dropped. Returns whether one
  // was pending (the caller says so: changes may be missing).
  bool stop() {
    bool dropped = false;
    {
      const std::lock_guard lock(mutex_);
      stopped_ = true;
      dropped = pending_;
      pending_ = false;
    }
    changed_.notify_all();
    return dropped;
  }

  // A pass is pending or running.
  bool busy() const {
    const std::lock_guard lock(mutex_);
    return pending_ || running_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool pending_ = false;
  bool running_ = false;
  bool stopped_ = false;
};

}  // namespace riot::host
