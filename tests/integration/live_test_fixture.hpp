#pragma once
// What the live-replication tests share: running `riot replicate --mode
// live|liveonly` in the background while the tests' own writer
// (support/live_writer) changes the source, waiting for riot's subscription,
// and the equality check of both databases once riot is idle.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/background_riot.hpp"
#include "support/dataset.hpp"
#include "support/process.hpp"

namespace riot::test {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFatal = 3;
inline constexpr int kExitInterrupted = 130;

// Long enough that every short TTL the writer gives (1.5 s at most) expires
// before riot stops: the expiry events keep riot busy until the last one.
inline constexpr auto kLiveIdleTimeout = std::chrono::milliseconds(2000);
// A live run that has not ended by then hangs: it is killed and the test fails.
inline constexpr auto kLiveRunTimeout = std::chrono::seconds(240);

// The labels of riot's summary lines the live tests read.
inline const std::string kEventsReceived = "events received";
inline const std::string kEventsCoalesced = "events coalesced";
inline const std::string kRecoveries = "recoveries";

// riot replicate --mode MODE SOURCE TARGET --idle-timeout MS --progress none EXTRA...
// (no idle timeout when `idle_timeout` is zero).
inline std::vector<std::string> live_args(const std::string& source, const std::string& target,
                                          const std::string& mode = "live",
                                          std::chrono::milliseconds idle_timeout = kLiveIdleTimeout,
                                          const std::vector<std::string>& extra = {}) {
  // -i: the tests read what riot logs about losses and recoveries.
  std::vector<std::string> args{"-i",   "replicate", "--mode",     mode,
                                source, target,      "--progress", "none"};
  if (idle_timeout.count() > 0) {
    args.push_back("--idle-timeout");
    args.push_back(std::to_string(idle_timeout.count()));
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

inline std::unique_ptr<BackgroundRiot> start_live(const std::vector<std::string>& args) {
  return std::make_unique<BackgroundRiot>(args, kLiveRunTimeout);
}

// Whether a server has at least `patterns` pattern subscriptions (PUBSUB
// NUMPAT): riot subscribes before it scans, so a test that must change the
// source only once riot follows it waits for this. False after 30 s.
inline bool wait_for_subscriptions(redis::Connection& server, long long patterns = 1) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (server.checked({"PUBSUB", "NUMPAT"}).integer >= patterns) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Every key alike on both sides (type, value, TTL within 5 s), no extra key
// on the target; or the differences.
inline ::testing::AssertionResult same_data(Keyspace& source, Keyspace& target) {
  const std::vector<std::string> differences = compare_databases(source, target);
  if (differences.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << summarize(differences);
}

}  // namespace riot::test
