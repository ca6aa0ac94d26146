// RetryingPipeline, the retry loop every component shares, against real
// servers: a connection cut by a TcpProxy, a server refusing with LOADING, a
// target full at maxmemory, a stopped (SIGSTOP) server, a request above
// proto-max-bulk-len. What is checked: retries are counted and logged, the
// backoff is waited, what is pending is sent again and nothing else, the
// outcome says why it ended, and a cancelled run ends the wait at once.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "riot/retrying_pipeline.hpp"
#include "support/fake_redis_server.hpp"
#include "support/redis_server.hpp"
#include "support/tcp_proxy.hpp"

namespace riot::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Keeps every line logged, and lets a test wait for the first warning.
class RecordingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> warnings() {
    std::lock_guard lock(mutex_);
    return warnings_;
  }
  // Waits until a warning was logged; false after `limit` without one (a
  // guard against a hung test, not a measurement).
  bool wait_for_warning(std::chrono::seconds limit) {
    std::unique_lock lock(mutex_);
    return logged_.wait_for(lock, limit, [this] { return !warnings_.empty(); });
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    if (message.level != spdlog::level::warn) return;
    warnings_.emplace_back(message.payload.data(), message.payload.size());
    logged_.notify_all();
  }
  void flush_() override {}

 private:
  std::vector<std::string> warnings_;  // guarded by the base sink's mutex_
  std::condition_variable_any logged_;
};

class RecordingHost final : public HostContext {
 public:
  spdlog::logger& logger() override { return logger_; }
  Metrics& metrics() override { return metrics_; }
  const CancellationToken& cancellation() const override { return cancellation_; }
  void report_failure(std::string_view, std::string_view) override {}

  void cancel() { cancellation_.cancel(); }
  RecordingSink& log() { return *sink_; }

 private:
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
  spdlog::logger logger_{"retrying-pipeline-test", sink_};
  Metrics metrics_;
  CancellationToken cancellation_;
};

RetryOptions quick_retries(int retries) {
  return RetryOptions{retries, 1ms, 1ms};
}

std::unique_ptr<redis::Client> client_of(const RedisServer& server, std::uint16_t port) {
  redis::ClientOptions options;
  options.connection = server.client_options();
  options.connection.uri.port = port;  // the server's itself, or a proxy's
  return redis::Client::open(std::move(options));
}

// SETs each pending key to `value`; an OK settles the key, a transient
// refusal keeps it pending, as a sink would.
struct SetBatch {
  std::vector<std::string> pending;
  std::string value = "v";
  int settled_attempts = 0;

  RetryingPipeline::Batch hooks() {
    RetryingPipeline::Batch batch;
    batch.encode = [this](redis::KeyedCommands& commands) {
      commands.clear();
      for (const std::string& key : pending) commands.append(key, {"SET", key, value});
      return !pending.empty();
    };
    batch.settle = [this](std::vector<redis::Reply>& replies) {
      ++settled_attempts;
      std::vector<std::string> refused;
      std::string cause;
      for (std::size_t i = 0; i < pending.size(); ++i) {
        if (!replies[i].is_error() || !redis::is_transient_error_reply(replies[i].str)) continue;
        refused.push_back(pending[i]);
        if (cause.empty()) cause = "SET \"" + pending[i] + "\" refused: " + replies[i].str;
      }
      pending.swap(refused);
      return cause;
    };
    return batch;
  }
};

std::vector<std::string> numbered_keys(std::size_t count) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < count; ++i) keys.push_back("key:" + std::to_string(i));
  return keys;
}

TEST(RetryingPipeline, ACutConnectionIsReopenedAndThePendingBatchSentAgain) {
  RedisServer server;
  TcpProxy proxy(server.port());
  RecordingHost host;
  auto client = client_of(server, proxy.port());
  const std::size_t accepted_before = proxy.connections_accepted();
  proxy.cut_connections();

  SetBatch batch{numbered_keys(20)};
  RetryingPipeline pipeline(quick_retries(3), host);
  const RetryOutcome outcome = pipeline.send(*client, batch.hooks());

  EXPECT_TRUE(outcome.answered()) << outcome.failure;
  EXPECT_TRUE(batch.pending.empty());
  EXPECT_GT(proxy.connections_accepted(), accepted_before) << "the retry reconnected";
  const std::vector<std::string> warnings = host.log().warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("127.0.0.1:" + std::to_string(proxy.port())), std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[0].find("; retry 1 of 3 in 1 ms"), std::string::npos) << warnings[0];
  redis::Connection check = server.connect();
  EXPECT_EQ(check.command({"DBSIZE"}).integer, 20);
}

TEST(RetryingPipeline, AConnectionThatStaysDownExhaustsTheRetriesAndSaysSo) {
  RedisServer server;
  TcpProxy proxy(server.port());
  RecordingHost host;
  auto client = client_of(server, proxy.port());
  proxy.refuse_new_connections();
  proxy.cut_connections();

  SetBatch batch{numbered_keys(3)};
  RetryingPipeline pipeline(quick_retries(2), host);
  const RetryOutcome outcome = pipeline.send(*client, batch.hooks());

  EXPECT_EQ(outcome.status, RetryOutcome::Status::exhausted);
  EXPECT_TRUE(outcome.connection_failed);
  EXPECT_EQ(outcome.attempts.rfind("after 2 retries in ", 0), 0u) << outcome.attempts;
  EXPECT_EQ(outcome.failure.rfind(client->describe() + ": ", 0), 0u) << outcome.failure;
  EXPECT_EQ(batch.settled_attempts, 0) << "no attempt was answered";
  EXPECT_EQ(host.log().warnings().size(), 2u);
  try {
    outcome.throw_gave_up(client->describe(), "; 3 keys");
    FAIL() << "throw_gave_up returned";
  } catch (const redis::IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("; gave up after 2 retries in "), std::string::npos) << message;
    EXPECT_TRUE(message.ends_with("; 3 keys")) << message;
  }
}

TEST(RetryingPipeline, ATransientRefusalIsRetriedAfterTheBackoff) {
  // A server that answers its first GETs as one still loading its data.
  constexpr int kRefusals = 2;
  std::atomic<int> gets{0};
  FakeRedisServer loading([&gets](const std::vector<std::string>& command) -> std::string {
    if (std::string reply = FakeRedisServer::handshake_reply(command); !reply.empty()) return reply;
    if (++gets <= kRefusals) return "-LOADING Redis is loading the dataset in memory\r\n";
    return "$5\r\nvalue\r\n";
  });
  redis::ConnectionOptions options;
  options.uri = redis::Uri::parse(loading.uri());
  redis::Connection connection(std::move(options));
  RecordingHost host;
  const RetryOptions retry{5, 100ms, 1000ms};
  RetryingPipeline pipeline(retry, host);

  const std::array<std::string_view, 2> get{"GET", "k"};
  RetryingPipeline::Command command{
      [&] { return std::span<const std::string_view>(get); }, "GET k", {}};
  redis::Reply reply;
  const Clock::time_point started = Clock::now();
  const RetryOutcome outcome = pipeline.send(connection, command, reply);
  const Clock::duration elapsed = Clock::now() - started;

  EXPECT_TRUE(outcome.answered()) << outcome.failure;
  EXPECT_EQ(reply.str, "value");
  EXPECT_EQ(gets.load(), kRefusals + 1) << "sent again once per refusal";
  EXPECT_GE(elapsed, retry.delay_before(1) + retry.delay_before(2)) << "the backoff was waited";
  const std::vector<std::string> warnings = host.log().warnings();
  ASSERT_EQ(warnings.size(), static_cast<std::size_t>(kRefusals));
  EXPECT_NE(warnings[0].find("GET k refused: LOADING"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("retry 2 of 5 in 200 ms"), std::string::npos) << warnings[1];
}

TEST(RetryingPipeline, AFullTargetKeepsOnlyTheRefusedKeysPendingUntilTheRetriesRunOut) {
  RedisServer server;
  limit_memory(server, 512 * 1024);
  RecordingHost host;
  auto client = client_of(server, server.port());

  SetBatch batch{numbered_keys(40), std::string(64 * 1024, 'x')};
  RetryingPipeline pipeline(quick_retries(2), host);
  const RetryOutcome outcome = pipeline.send(*client, batch.hooks());

  EXPECT_EQ(outcome.status, RetryOutcome::Status::exhausted);
  EXPECT_FALSE(outcome.connection_failed);
  EXPECT_NE(outcome.cause.find("refused: OOM"), std::string::npos) << outcome.cause;
  EXPECT_EQ(batch.settled_attempts, 3) << "the first attempt and 2 retries";
  ASSERT_FALSE(batch.pending.empty());
  redis::Connection check = server.connect();
  const long long written = check.command({"DBSIZE"}).integer;
  EXPECT_GT(written, 0) << "keys before the limit were written";
  EXPECT_EQ(static_cast<std::size_t>(written) + batch.pending.size(), 40u)
      << "exactly the refused keys stay pending";
  EXPECT_THROW(outcome.throw_gave_up(client->describe()), redis::ReplyError)
      << "a server that kept refusing is no connection failure";
}

TEST(RetryingPipeline, AFailureNoRetryMendsGoesThroughAtOnce) {
  RedisServerOptions options;
  options.password = "first-secret";
  RedisServer server(std::move(options));
  RecordingHost host;
  auto client = client_of(server, server.port());
  // The password changes and the connection drops: the reconnect's AUTH is
  // refused, which waiting cannot mend.
  redis::Connection admin = server.connect();
  admin.checked({"CONFIG", "SET", "requirepass", "second-secret"});
  admin.checked({"CLIENT", "KILL", "TYPE", "normal"});

  SetBatch batch{numbered_keys(3)};
  RetryingPipeline pipeline(quick_retries(5), host);
  try {
    pipeline.send(*client, batch.hooks());
    FAIL() << "send returned";
  } catch (const redis::IoError& error) {
    FAIL() << "retried as a connection failure: " << error.what();
  } catch (const redis::ReplyError& error) {
    EXPECT_EQ(std::string(error.what()).find("first-secret"), std::string::npos) << error.what();
  }
  EXPECT_EQ(host.log().warnings().size(), 1u) << "the lost connection only";
}

TEST(RetryingPipeline, ACancelledRunEndsTheBackoffWaitAtOnce) {
  RedisServer server;
  TcpProxy proxy(server.port());
  RecordingHost host;
  auto client = client_of(server, proxy.port());
  proxy.refuse_new_connections();
  proxy.cut_connections();

  SetBatch batch{numbered_keys(3)};
  RetryingPipeline pipeline(RetryOptions{10, 60s, 60s}, host);
  std::thread canceller([&host] {
    if (host.log().wait_for_warning(60s)) host.cancel();
  });
  const Clock::time_point started = Clock::now();
  const RetryOutcome outcome = pipeline.send(*client, batch.hooks());
  const Clock::duration elapsed = Clock::now() - started;
  canceller.join();

  EXPECT_TRUE(outcome.cancelled());
  EXPECT_TRUE(outcome.connection_failed);
  EXPECT_LT(elapsed, 30s) << "the 60 s backoff was not waited out";
  EXPECT_EQ(host.log().warnings().size(), 1u);
}

TEST(RetryingPipeline, ATimeoutLetsTheCallerShedItemsBeforeTheNextAttempt) {
  RedisServer server;
  RecordingHost host;
  redis::ClientOptions options;
  options.connection = server.client_options();
  options.connection.command_timeout = 200ms;
  auto client = redis::Client::open(std::move(options));
  server.pause();

  SetBatch batch{numbered_keys(5)};
  RetryingPipeline::Batch hooks = batch.hooks();
  std::vector<std::size_t> sent;  // the keys of each attempt
  hooks.encode = [&sent, encode = hooks.encode](redis::KeyedCommands& commands) {
    const bool any = encode(commands);
    sent.push_back(commands.size());
    return any;
  };
  std::vector<int> timeouts_seen;
  hooks.on_timeout = [&](int timeouts) {
    timeouts_seen.push_back(timeouts);
    batch.pending.pop_back();  // the item held responsible
    server.resume();
  };
  RetryingPipeline pipeline(quick_retries(3), host);
  const RetryOutcome outcome = pipeline.send(*client, hooks);

  EXPECT_TRUE(outcome.answered()) << outcome.failure;
  EXPECT_EQ(timeouts_seen, std::vector<int>{1});
  EXPECT_EQ(sent, (std::vector<std::size_t>{5, 4})) << "the shed key was not sent again";
  EXPECT_TRUE(batch.pending.empty());
}

TEST(RetryingPipeline, ARejectedRequestLetsTheCallerDropTheItemAtFaultWithoutARetry) {
  RedisServer server;
  redis::Connection admin = server.connect();
  admin.checked({"CONFIG", "SET", "proto-max-bulk-len", "1mb"});
  RecordingHost host;
  auto client = client_of(server, server.port());

  const std::string big(2 << 20, 'x');
  std::vector<std::string> pending{"small", "big"};
  RetryingPipeline::Batch batch;
  batch.encode = [&](redis::KeyedCommands& commands) {
    commands.clear();
    for (const std::string& key : pending)
      commands.append(key, {"SET", key, key == "big" ? std::string_view(big) : "v"});
    return !pending.empty();
  };
  batch.settle = [&](std::vector<redis::Reply>&) {
    pending.clear();
    return std::string();
  };
  int rejections = 0;
  batch.on_rejected = [&](const redis::RequestRejectedError& error) {
    ++rejections;
    EXPECT_TRUE(redis::is_oversized_argument_reply(error.reply())) << error.reply();
    std::erase(pending, "big");
    return true;
  };
  RetryingPipeline pipeline(quick_retries(0), host);  // no retry to spend
  const RetryOutcome outcome = pipeline.send(*client, batch);

  EXPECT_TRUE(outcome.answered()) << outcome.failure;
  EXPECT_EQ(rejections, 1);
  EXPECT_TRUE(host.log().warnings().empty());
  EXPECT_EQ(admin.command({"GET", "small"}).str, "v");
  EXPECT_EQ(admin.command({"EXISTS", "big"}).integer, 0);
}

TEST(RetryingPipeline, ASingleCommandFollowsTheCallerAfterALostConnection) {
  RedisServer server;
  TcpProxy proxy(server.port());
  RecordingHost host;
  redis::ConnectionOptions options = server.client_options();
  options.uri.port = proxy.port();
  redis::Connection connection(std::move(options));
  connection.connect();
  proxy.cut_connections();

  const std::array<std::string_view, 1> ping{"PING"};
  int lost = 0;
  RetryingPipeline::Command command{[&] { return std::span<const std::string_view>(ping); }, "PING",
                                    [&] { ++lost; }};
  redis::Reply reply;
  RetryingPipeline pipeline(quick_retries(3), host);
  const RetryOutcome outcome =
      pipeline.send(connection, command, reply, [] { return std::string("the shard"); });

  EXPECT_TRUE(outcome.answered()) << outcome.failure;
  EXPECT_EQ(reply.str, "PONG");
  EXPECT_EQ(lost, 1);
  const std::vector<std::string> warnings = host.log().warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("the shard: ", 0), 0u) << warnings[0];
  EXPECT_NE(warnings[0].find("(PING)"), std::string::npos) << warnings[0];
}

}  // namespace
}  // namespace riot::test
