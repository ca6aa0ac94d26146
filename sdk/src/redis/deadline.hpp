#pragma once
// Deadlines for socket waits. Every wait of the client is bounded by one.

#include <chrono>

namespace riot::redis::detail {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Now plus `timeout`; a timeout of zero or less means "no deadline".
inline Deadline deadline_after(std::chrono::milliseconds timeout) {
  if (timeout <= std::chrono::milliseconds::zero()) return Deadline::max();
  return Clock::now() + timeout;
}

}  // namespace riot::redis::detail
