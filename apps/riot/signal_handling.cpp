#include "signal_handling.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "exit_codes.hpp"

namespace riot::app {

namespace {

const char* signal_name(int signal) {
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

// No destructors, no atexit handlers: the other threads may be anywhere, in
// the middle of a blocking call the user no longer wants to wait for.
[[noreturn]] void exit_at_once(int signal) {
  const std::string message = std::string("\nriot: ") + signal_name(signal) + ", exiting now\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message.data(), message.size());
  std::_Exit(kExitInterrupted);
}

}  // namespace

SignalWatcher::SignalWatcher() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  thread_ = std::thread([this] { wait_for_signals(); });
}

SignalWatcher::~SignalWatcher() {
  stopping_ = true;
  // The signal is blocked everywhere, so it can only end the watcher's
  // sigwait, which sees `stopping_` and returns.
  ::pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

void SignalWatcher::wait_for_signals() {
  bool cancelled_once = false;
  for (;;) {
    int signal = 0;
    if (::sigwait(&signals_, &signal) != 0) continue;
    if (stopping_) return;
    if (!run_active_ || cancelled_once) exit_at_once(signal);
    cancelled_once = true;
    spdlog::warn("{}: stopping the run (send it again to exit immediately)", signal_name(signal));
    run_cancellation_.cancel();
  }
}

}  // namespace riot::app
