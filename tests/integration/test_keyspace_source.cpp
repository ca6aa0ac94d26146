// source.keyspace driven directly through its factory, against real servers:
// the notify-keyspace-events check (refused with the flags named, a warning
// where CONFIG is renamed away, every master of a cluster checked), events in
// order with their kind and the moment they were seen, binary keys, the key
// filters, and the reconciliations it asks for when the subscription was lost
// or a FLUSHALL went by unnotified.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "plugin_harness.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"
#include "support/tcp_proxy.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using Clock = std::chrono::steady_clock;

const std::string kNotifications = "notify-keyspace-events KEA";
// How long a test waits for what must happen before it fails (not a
// measurement: everything here happens within seconds).
constexpr auto kPatience = 60s;

json keyspace_config(const std::string& uri) {
  return {{"uri", uri}, {"retry_delay_ms", 50}, {"retry_max_delay_ms", 200}};
}

std::unique_ptr<Source> make_keyspace(json config, TestHost& host) {
  return create<SourceFactory>("source.keyspace", std::move(config), host);
}

// What one key event says, for comparisons.
struct Seen {
  std::string key;
  KeyEventType event;
  bool operator==(const Seen&) const = default;
};

void PrintTo(const Seen& seen, std::ostream* out) {
  *out << '"' << printable_key(seen.key) << "\" " << to_string(seen.event);
}

// Runs the source on a thread of its own, as the host does, collecting what
// it emits, until the test asks it to finish.
class RunningSource final : public KeyBatchWriter {
 public:
  explicit RunningSource(Source& source) : thread_([this, &source] { run(source); }) {}
  ~RunningSource() override { finish(); }

  bool push(KeyBatch&& batch) override {
    const std::lock_guard lock(mutex_);
    for (KeyEvent& event : batch) events_.push_back(std::move(event));
    changed_.notify_all();
    return true;
  }
  bool finish_requested() const override { return finish_; }

  // Every event emitted so far once there are `count` (or the patience ran
  // out: the caller's assertions then fail).
  std::vector<KeyEvent> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return events_.size() >= count || ended_; });
    return events_;
  }

  // Asks the source to finish and waits until run() returned; rethrows what
  // it threw.
  void finish() {
    finish_ = true;
    if (thread_.joinable()) thread_.join();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  void run(Source& source) {
    try {
      source.run(0, *this);
    } catch (...) {
      failure_ = std::current_exception();
    }
    const std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  }

  std::atomic<bool> finish_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<KeyEvent> events_;
  bool ended_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

std::vector<Seen> seen(const std::vector<KeyEvent>& events) {
  std::vector<Seen> result;
  for (const KeyEvent& event : events) result.push_back({event.key, event.event});
  return result;
}

// The message connect() refuses with, or "" when it did not.
std::string refusal_of(Source& source) {
  try {
    source.connect();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return {};
}

// Waits until `done` holds for the host (or the patience ran out).
template <typename Condition>
void wait_until(Condition done) {
  const Clock::time_point deadline = Clock::now() + kPatience;
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
}

TEST(KeyspaceSource, RefusesAServerWithoutNotificationsNamingTheFlags) {
  RedisServer server(RedisServerOptions{.config = {"notify-keyspace-events \"\""}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  const std::string message = refusal_of(*source);
  EXPECT_NE(message.find("source 127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << message;
  EXPECT_NE(message.find("notify-keyspace-events \"\""), std::string::npos) << message;
  EXPECT_NE(message.find("K (keyspace events)"), std::string::npos) << message;
  EXPECT_NE(message.find("A (every class of event: g$lshzxet)"), std::string::npos) << message;
  EXPECT_NE(message.find("CONFIG SET notify-keyspace-events KEA"), std::string::npos) << message;
  EXPECT_NE(message.find("ElastiCache, in a custom parameter group"), std::string::npos) << message;
}

TEST(KeyspaceSource, NamesEachMissingClassOfEvents) {
  RedisServer server(RedisServerOptions{.config = {"notify-keyspace-events Kg$lshz"}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  const std::string message = refusal_of(*source);
  EXPECT_NE(message.find("missing: x (expired), e (evicted), t (streams);"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("K (keyspace"), std::string::npos) << message;
}

TEST(KeyspaceSource, AcceptsEveryClassSpelledOut) {
  RedisServer server(RedisServerOptions{.config = {"notify-keyspace-events Kg$lshzxet"}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  EXPECT_EQ(refusal_of(*source), "");
}

TEST(KeyspaceSource, LeavesTheSettingUncheckedWhenAskedTo) {
  RedisServer server(RedisServerOptions{.config = {"notify-keyspace-events \"\""}});
  TestHost host;
  json config = keyspace_config(server.uri());
  config["check_notifications"] = false;
  auto source = make_keyspace(config, host);
  EXPECT_EQ(refusal_of(*source), "");
}

TEST(KeyspaceSource, ChecksEveryMasterOfACluster) {
  RedisCluster cluster(RedisClusterOptions{.config = {kNotifications}});
  const std::size_t silent = cluster.master_indices().back();
  cluster.connect(silent).checked({"CONFIG", "SET", "notify-keyspace-events", ""});
  TestHost host;
  auto source = make_keyspace(keyspace_config(cluster.uri()), host);
  const std::string message = refusal_of(*source);
  EXPECT_NE(message.find("source 127.0.0.1:" + std::to_string(cluster.node(silent).port()) +
                         ": keyspace notifications are off"),
            std::string::npos)
      << message;
}

TEST(KeyspaceSource, WarnsWhereConfigIsRenamedAwayAndFollowsChanges) {
  std::vector<std::string> config = managed_service_config();
  config.push_back(kNotifications);
  RedisServer server(RedisServerOptions{.config = config});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  source->connect();
  const std::string warnings = host.logged(spdlog::level::warn);
  EXPECT_NE(warnings.find("cannot check notify-keyspace-events (CONFIG GET refused"),
            std::string::npos)
      << warnings;

  RunningSource running(*source);
  server.connect().checked({"SET", "managed", "v"});
  EXPECT_EQ(seen(running.wait_for(1)), (std::vector<Seen>{{"managed", KeyEventType::set}}));
}

TEST(KeyspaceSource, EmitsEventsInOrderWithTheirKindAndTheMomentSeen) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri(2)), host);
  EXPECT_TRUE(source->unbounded());
  EXPECT_EQ(source->partition_count(), 1u);
  source->connect();
  const Expiry::Clock::time_point connected = Expiry::Clock::now();
  RunningSource running(*source);

  redis::Connection writer = server.connect(2);
  writer.checked({"SET", "a", "1"});
  writer.checked({"HSET", "h", "f", "v"});
  writer.checked({"RENAME", "h", "h2"});
  writer.checked({"UNLINK", "a"});
  writer.checked({"SET", "short", "v", "PX", "1"});
  // Expired by the server's own cycle or by this access, whichever first.
  while (writer.checked({"EXISTS", "short"}).integer == 1) std::this_thread::yield();
  writer.checked({"MOVE", "h2", "3"});

  const std::vector<KeyEvent> events = running.wait_for(9);
  running.finish();
  EXPECT_EQ(seen(events), (std::vector<Seen>{{"a", KeyEventType::set},
                                             {"h", KeyEventType::other},
                                             {"h", KeyEventType::rename_from},
                                             {"h2", KeyEventType::rename_to},
                                             {"a", KeyEventType::del},
                                             {"short", KeyEventType::set},
                                             {"short", KeyEventType::other},  // expire
                                             {"short", KeyEventType::expired},
                                             {"h2", KeyEventType::del}}));
  Expiry::Clock::time_point previous = connected;
  for (const KeyEvent& event : events) {
    EXPECT_EQ(event.db, 2);
    EXPECT_EQ(event.origin, KeyOrigin::notification);
    EXPECT_EQ(event.slot, redis::cluster::key_slot(event.key));
    EXPECT_GE(event.observed_at, previous) << printable_key(event.key);
    previous = event.observed_at;
  }
}

TEST(KeyspaceSource, EmitsBinaryKeysExactly) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  source->connect();
  RunningSource running(*source);
  const std::string key = "bin\0\r\n\xff:"s;
  redis::Connection writer = server.connect();
  writer.checked({"SET", key, "v"});
  writer.checked({"DEL", key});
  EXPECT_EQ(seen(running.wait_for(2)),
            (std::vector<Seen>{{key, KeyEventType::set}, {key, KeyEventType::del}}));
}

TEST(KeyspaceSource, FollowsOnlyTheKeysOfMatchAndKeySlots) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  TestHost host;
  json config = keyspace_config(server.uri());
  config["match"] = "user:*";
  const std::uint16_t wanted = redis::cluster::key_slot("user:{a}");
  config["key_slots"] = std::to_string(wanted);
  auto source = make_keyspace(config, host);
  source->connect();
  RunningSource running(*source);
  redis::Connection writer = server.connect();
  writer.checked({"SET", "order:{a}", "v"});  // the slot, not the pattern
  writer.checked({"SET", "user:{b}", "v"});   // the pattern, not the slot
  writer.checked({"SET", "user:{a}", "v"});
  writer.checked({"SET", "user:{a}:last", "v"});
  EXPECT_EQ(seen(running.wait_for(2)), (std::vector<Seen>{{"user:{a}", KeyEventType::set},
                                                          {"user:{a}:last", KeyEventType::set}}));
}

TEST(KeyspaceSource, ALostSubscriptionRequestsAReconciliationOnceBack) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  TcpProxy proxy(server.port());
  TestHost host;
  auto source = make_keyspace(keyspace_config(proxy.uri()), host);
  source->connect();
  RunningSource running(*source);

  proxy.cut_connections();
  wait_until([&] { return !host.reconciliations().empty(); });
  const std::vector<std::string> reasons = host.reconciliations();
  ASSERT_EQ(reasons.size(), 1u);
  const std::string node = "127.0.0.1:" + std::to_string(proxy.port());
  EXPECT_NE(reasons[0].find("subscription to " + node + " resubscribed"), std::string::npos)
      << reasons[0];
  const std::string warnings = host.logged(spdlog::level::warn);
  EXPECT_NE(warnings.find("subscription to " + node + " lost"), std::string::npos) << warnings;

  server.connect().checked({"SET", "after-the-cut", "v"});
  EXPECT_EQ(seen(running.wait_for(1)), (std::vector<Seen>{{"after-the-cut", KeyEventType::set}}));
}

TEST(KeyspaceSource, AFlushallRequestsAReconciliation) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  TestHost host;
  auto source = make_keyspace(keyspace_config(server.uri()), host);
  source->connect();
  RunningSource running(*source);

  server.connect().checked({"FLUSHALL"});
  wait_until([&] { return !host.reconciliations().empty(); });
  const std::vector<std::string> reasons = host.reconciliations();
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_NE(reasons[0].find("FLUSHALL, FLUSHDB or SWAPDB ran on 127.0.0.1:" +
                            std::to_string(server.port())),
            std::string::npos)
      << reasons[0];
}

}  // namespace
}  // namespace riot::test
