#pragma once
#include <atomic>

namespace riot {

// Set once by the host (SIGINT, a fatal error in another stage); components
// poll it between batches and return early.
class CancellationToken {
 public:
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  void cancel() noexcept { cancelled_.store(true, std::memory_order_release); }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace riot
