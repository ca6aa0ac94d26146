// The SDK's Subscription against real servers: keyspace notifications from a
// single server (over TLS too) and from every master of a cluster, binary
// channels, and the losses it must report and recover from for real: a
// connection cut by a proxy, a master failed over, the server's
// client-output-buffer-limit pubsub reached by a burst.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/command_buffer.hpp"
#include "riot/redis/subscription.hpp"
#include "support/redis_cluster.hpp"
#include "support/redis_server.hpp"
#include "support/tcp_proxy.hpp"
#include "support/tls_certificates.hpp"

namespace riot::redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using test::RedisCluster;
using test::RedisClusterOptions;
using test::RedisServer;
using test::RedisServerOptions;
using Clock = std::chrono::steady_clock;

const std::string kNotifications = "notify-keyspace-events KEA";
const std::string kKeyspace = "__keyspace@0__:";
// How long a test waits for what must happen before it fails (not a
// measurement: everything here happens within a second or so).
constexpr auto kPatience = 60s;

// Retries quick enough for a test, and many: a failover takes seconds.
SubscriptionSettings quick_settings() {
  SubscriptionSettings settings;
  settings.retry.retries = 100;
  settings.retry.delay = 50ms;
  settings.retry.max_delay = 200ms;
  settings.topology_refresh = 200ms;
  return settings;
}

ClientOptions client_of(ConnectionOptions connection, ClusterMode mode) {
  connection.role = "source";
  ClientOptions client;
  client.connection = std::move(connection);
  client.cluster = mode;
  return client;
}

// Everything the subscription brought until `done` holds (or the patience
// ran out: the caller's assertions then fail).
struct Collected {
  std::vector<SubscriptionMessage> messages;
  std::vector<SubscriptionEvent> events;

  bool has_message(std::string_view channel, std::string_view payload) const {
    return std::any_of(messages.begin(), messages.end(), [&](const SubscriptionMessage& message) {
      return message.channel == channel && message.payload == payload;
    });
  }
  const SubscriptionMessage* message_on(std::string_view channel) const {
    for (const SubscriptionMessage& message : messages)
      if (message.channel == channel) return &message;
    return nullptr;
  }
  const SubscriptionEvent* event(SubscriptionEventKind kind, std::string_view node = {}) const {
    for (const SubscriptionEvent& event : events)
      if (event.kind == kind && (node.empty() || event.node == node)) return &event;
    return nullptr;
  }
};

void collect_until(Subscription& subscription, Collected& collected,
                   const std::function<bool(const Collected&)>& done) {
  SubscriptionBatch batch;
  const Clock::time_point deadline = Clock::now() + kPatience;
  while (!done(collected) && Clock::now() < deadline) {
    subscription.wait(100ms, batch);
    for (SubscriptionMessage& message : batch.messages)
      collected.messages.push_back(std::move(message));
    for (SubscriptionEvent& event : batch.events) collected.events.push_back(std::move(event));
  }
}

// A key whose slot the master serves.
std::string key_on(RedisCluster& cluster, std::size_t master, std::string_view prefix) {
  const std::vector<int> slots = cluster.slots_of(master);
  for (int i = 0;; ++i) {
    std::string key = std::string(prefix) + std::to_string(i);
    if (std::binary_search(slots.begin(), slots.end(), cluster::key_slot(key))) return key;
  }
}

std::string endpoint_of(const RedisServer& server) {
  return "127.0.0.1:" + std::to_string(server.port());
}

std::vector<std::string> endpoints_followed(const Subscription& subscription) {
  std::vector<std::string> endpoints;
  for (const SubscribedNode& node : subscription.nodes()) endpoints.push_back(node.endpoint);
  std::sort(endpoints.begin(), endpoints.end());
  return endpoints;
}

TEST(Subscription, ReceivesNotificationsOfASingleServerWithBinaryKeys) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  Subscription subscription = Subscription::open(
      client_of(server.client_options(), ClusterMode::detect), {kKeyspace + "*"});
  EXPECT_FALSE(subscription.is_cluster());
  EXPECT_EQ(endpoints_followed(subscription), std::vector<std::string>{endpoint_of(server)});

  const std::string binary_key = "a\0b\r\n\xff"s;
  Connection writer = server.connect();
  writer.checked({"SET", binary_key, "v"});
  writer.checked({"DEL", binary_key});
  writer.checked({"SET", "plain", "v"});

  Collected collected;
  collect_until(subscription, collected,
                [&](const Collected& seen) { return seen.messages.size() >= 3; });
  ASSERT_EQ(collected.messages.size(), 3u);
  EXPECT_EQ(collected.messages[0].channel, kKeyspace + binary_key);
  EXPECT_EQ(collected.messages[0].payload, "set");
  EXPECT_EQ(collected.messages[1].channel, kKeyspace + binary_key);
  EXPECT_EQ(collected.messages[1].payload, "del");
  EXPECT_EQ(collected.messages[2].channel, kKeyspace + "plain");
  for (const SubscriptionMessage& message : collected.messages) {
    EXPECT_EQ(message.pattern, kKeyspace + "*");
    EXPECT_EQ(message.node, endpoint_of(server));
  }
  EXPECT_TRUE(collected.events.empty());
}

TEST(Subscription, OnlyMatchingChannelsAndTheDatabaseOfThePattern) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  Subscription subscription = Subscription::open(
      client_of(server.client_options(), ClusterMode::standalone), {"__keyspace@1__:user:*"});
  Connection db0 = server.connect(0);
  Connection db1 = server.connect(1);
  db0.checked({"SET", "user:0", "v"});
  db1.checked({"SET", "order:1", "v"});
  db1.checked({"SET", "user:1", "v"});

  Collected collected;
  collect_until(subscription, collected,
                [](const Collected& seen) { return !seen.messages.empty(); });
  ASSERT_EQ(collected.messages.size(), 1u);
  EXPECT_EQ(collected.messages[0].channel, "__keyspace@1__:user:1");
}

TEST(Subscription, ReceivesNotificationsOverTls) {
  test::TlsCertificates certificates;
  RedisServer server(
      RedisServerOptions{.config = {kNotifications}, .tls = certificates.server_tls()});
  Subscription subscription = Subscription::open(
      client_of(server.client_options(), ClusterMode::standalone), {kKeyspace + "*"});
  // Enough notifications that several TLS records arrive together and some
  // wait decrypted inside OpenSSL, where poll cannot see them.
  constexpr int kKeys = 5000;
  Connection writer = server.connect();
  CommandBuffer commands;
  for (int i = 0; i < kKeys; ++i) commands.append({"SET", "key:" + std::to_string(i), "v"});
  std::vector<Reply> replies;
  writer.pipeline(commands, replies);

  Collected collected;
  collect_until(subscription, collected,
                [&](const Collected& seen) { return seen.messages.size() >= kKeys; });
  ASSERT_EQ(collected.messages.size(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i)
    ASSERT_EQ(collected.messages[i].channel, kKeyspace + "key:" + std::to_string(i));
}

TEST(Subscription, ReceivesNotificationsFromEveryMasterOfACluster) {
  RedisCluster cluster(RedisClusterOptions{.config = {kNotifications}});
  Subscription subscription = Subscription::open(
      client_of(cluster.client_options(0), ClusterMode::detect), {kKeyspace + "*"});
  ASSERT_TRUE(subscription.is_cluster());
  const std::vector<std::size_t> masters = cluster.master_indices();
  std::vector<std::string> expected_nodes;
  for (std::size_t master : masters) expected_nodes.push_back(endpoint_of(cluster.node(master)));
  std::sort(expected_nodes.begin(), expected_nodes.end());
  EXPECT_EQ(endpoints_followed(subscription), expected_nodes);

  std::vector<std::string> keys;
  for (std::size_t master : masters) {
    keys.push_back(key_on(cluster, master, "k"));
    cluster.connect(master).checked({"SET", keys.back(), "v"});
  }
  Collected collected;
  collect_until(subscription, collected,
                [&](const Collected& seen) { return seen.messages.size() >= keys.size(); });
  ASSERT_EQ(collected.messages.size(), keys.size());
  for (std::size_t i = 0; i < masters.size(); ++i) {
    const SubscriptionMessage* message = collected.message_on(kKeyspace + keys[i]);
    ASSERT_NE(message, nullptr) << keys[i];
    EXPECT_EQ(message->node, endpoint_of(cluster.node(masters[i])));
    EXPECT_EQ(message->payload, "set");
  }
}

TEST(Subscription, AConnectionCutIsReportedAndSubscribedAgain) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  test::TcpProxy proxy(server.port());
  ConnectionOptions through_proxy = server.client_options();
  through_proxy.uri.port = proxy.port();
  Subscription subscription = Subscription::open(client_of(through_proxy, ClusterMode::standalone),
                                                 {kKeyspace + "*"}, quick_settings());
  const std::string node = "127.0.0.1:" + std::to_string(proxy.port());

  proxy.cut_connections();
  Collected collected;
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.event(SubscriptionEventKind::resubscribed) != nullptr;
  });
  const SubscriptionEvent* lost = collected.event(SubscriptionEventKind::lost);
  ASSERT_NE(lost, nullptr);
  EXPECT_EQ(lost->node, node);
  EXPECT_FALSE(lost->reason.empty());
  EXPECT_FALSE(lost->missed_messages);  // the gap is not closed yet
  const SubscriptionEvent* back = collected.event(SubscriptionEventKind::resubscribed);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->node, node);
  EXPECT_TRUE(back->missed_messages);
  EXPECT_NE(back->reason.find(lost->reason), std::string::npos) << back->reason;

  server.connect().checked({"SET", "after-the-cut", "v"});
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.message_on(kKeyspace + "after-the-cut") != nullptr;
  });
  EXPECT_TRUE(collected.has_message(kKeyspace + "after-the-cut", "set"));
}

TEST(Subscription, AServerThatStaysAwayEndsTheWaitWithAnErrorNamingIt) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  test::TcpProxy proxy(server.port());
  ConnectionOptions through_proxy = server.client_options();
  through_proxy.uri.port = proxy.port();
  SubscriptionSettings settings = quick_settings();
  settings.retry.retries = 2;
  Subscription subscription = Subscription::open(client_of(through_proxy, ClusterMode::standalone),
                                                 {kKeyspace + "*"}, settings);

  proxy.refuse_new_connections();
  proxy.cut_connections();
  SubscriptionBatch batch;
  try {
    const Clock::time_point deadline = Clock::now() + kPatience;
    while (Clock::now() < deadline) subscription.wait(100ms, batch);
    FAIL() << "the subscription did not give up";
  } catch (const IoError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("source 127.0.0.1:" + std::to_string(proxy.port())), std::string::npos)
        << message;
    EXPECT_NE(message.find("subscription lost"), std::string::npos) << message;
    EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  }
}

TEST(Subscription, ASilentServerIsPingedAndCountsAsLostWithoutAnAnswer) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  ConnectionOptions options = server.client_options();
  options.command_timeout = 500ms;
  SubscriptionSettings settings = quick_settings();
  settings.keepalive = 200ms;
  Subscription subscription =
      Subscription::open(client_of(options, ClusterMode::standalone), {kKeyspace + "*"}, settings);

  // A frozen server keeps the connection open and says nothing: only the
  // unanswered PING tells.
  server.pause();
  Collected collected;
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.event(SubscriptionEventKind::lost) != nullptr;
  });
  server.resume();
  const SubscriptionEvent* lost = collected.event(SubscriptionEventKind::lost);
  ASSERT_NE(lost, nullptr);
  EXPECT_NE(lost->reason.find("no answer to PING within 500 ms"), std::string::npos)
      << lost->reason;

  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.event(SubscriptionEventKind::resubscribed) != nullptr;
  });
  ASSERT_NE(collected.event(SubscriptionEventKind::resubscribed), nullptr);
  server.connect().checked({"SET", "after-the-pause", "v"});
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.message_on(kKeyspace + "after-the-pause") != nullptr;
  });
  EXPECT_TRUE(collected.has_message(kKeyspace + "after-the-pause", "set"));
}

TEST(Subscription, AKeepaliveRefusedByTheAclStillProvesTheServerAlive) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  server.connect().checked(
      {"ACL", "SETUSER", "noping", "on", ">s3cret-pw", "~*", "&*", "+@all", "-ping"});
  ConnectionOptions options = server.client_options();
  options.uri.user = "noping";
  options.uri.password = "s3cret-pw";
  options.command_timeout = 500ms;
  SubscriptionSettings settings = quick_settings();
  settings.keepalive = 50ms;
  Subscription subscription =
      Subscription::open(client_of(options, ClusterMode::standalone), {kKeyspace + "*"}, settings);

  // Quiet long enough for several refused PINGs and their timeouts.
  Collected collected;
  const Clock::time_point quiet_until = Clock::now() + 1500ms;
  collect_until(subscription, collected,
                [&](const Collected&) { return Clock::now() >= quiet_until; });
  EXPECT_TRUE(collected.events.empty())
      << to_string(collected.events.front().kind) << ": " << collected.events.front().reason;
  server.connect().checked({"SET", "still-here", "v"});
  collect_until(subscription, collected,
                [](const Collected& seen) { return !seen.messages.empty(); });
  EXPECT_TRUE(collected.has_message(kKeyspace + "still-here", "set"));
}

TEST(Subscription, AFailoverMakesItSubscribeTheNewMaster) {
  RedisCluster cluster(RedisClusterOptions{.replicas_per_master = 1, .config = {kNotifications}});
  Subscription subscription =
      Subscription::open(client_of(cluster.client_options(0), ClusterMode::cluster),
                         {kKeyspace + "*"}, quick_settings());
  const std::size_t old_master = cluster.master_indices().front();
  const std::optional<std::size_t> replica = cluster.replica_of(old_master);
  ASSERT_TRUE(replica);
  const std::string old_endpoint = endpoint_of(cluster.node(old_master));
  const std::string new_endpoint = endpoint_of(cluster.node(*replica));

  cluster.failover(old_master);
  Collected collected;
  collect_until(subscription, collected, [&](const Collected& seen) {
    return seen.event(SubscriptionEventKind::node_added, new_endpoint) &&
           seen.event(SubscriptionEventKind::node_removed, old_endpoint);
  });
  const SubscriptionEvent* added = collected.event(SubscriptionEventKind::node_added, new_endpoint);
  ASSERT_NE(added, nullptr);
  EXPECT_TRUE(added->missed_messages);  // it served writes before it was subscribed
  ASSERT_NE(collected.event(SubscriptionEventKind::node_removed, old_endpoint), nullptr);
  const std::vector<std::string> nodes = endpoints_followed(subscription);
  EXPECT_NE(std::find(nodes.begin(), nodes.end(), new_endpoint), nodes.end());
  EXPECT_EQ(std::find(nodes.begin(), nodes.end(), old_endpoint), nodes.end());

  const std::string key = key_on(cluster, *replica, "moved");
  cluster.connect(*replica).checked({"SET", key, "v"});
  collect_until(subscription, collected,
                [&](const Collected& seen) { return seen.message_on(kKeyspace + key) != nullptr; });
  const SubscriptionMessage* message = collected.message_on(kKeyspace + key);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->node, new_endpoint);
}

TEST(Subscription, TheOutputBufferLimitIsReportedAndSubscribedAgain) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  Subscription subscription =
      Subscription::open(client_of(server.client_options(), ClusterMode::standalone),
                         {kKeyspace + "*"}, quick_settings());
  Connection writer = server.connect();
  writer.checked({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 0 0"});

  // A burst while the subscriber reads nothing: far more notifications than
  // the socket buffers and the 64 KiB limit hold (long keys, long messages).
  const std::string long_name(500, 'x');
  CommandBuffer commands;
  for (int i = 0; i < 20000; ++i) commands.append({"SET", long_name + std::to_string(i), "v"});
  std::vector<Reply> replies;
  writer.pipeline(commands, replies);

  Collected collected;
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.event(SubscriptionEventKind::resubscribed) != nullptr;
  });
  const SubscriptionEvent* lost = collected.event(SubscriptionEventKind::lost);
  ASSERT_NE(lost, nullptr);
  EXPECT_NE(lost->reason.find("closed by the server"), std::string::npos) << lost->reason;
  EXPECT_LT(collected.messages.size(), 20000u);  // some were lost, and that was said
  const SubscriptionEvent* back = collected.event(SubscriptionEventKind::resubscribed);
  ASSERT_NE(back, nullptr);
  EXPECT_TRUE(back->missed_messages);

  writer.checked({"SET", "after-the-burst", "v"});
  collect_until(subscription, collected, [](const Collected& seen) {
    return seen.message_on(kKeyspace + "after-the-burst") != nullptr;
  });
  EXPECT_TRUE(collected.has_message(kKeyspace + "after-the-burst", "set"));
}

TEST(Subscription, AServerRefusingTheChannelsIsNamed) {
  RedisServer server(RedisServerOptions{.config = {kNotifications}});
  Connection admin = server.connect();
  admin.checked(
      {"ACL", "SETUSER", "nochannels", "on", ">s3cret-pw", "~*", "+@all", "resetchannels"});
  ConnectionOptions options = server.client_options();
  options.uri.user = "nochannels";
  options.uri.password = "s3cret-pw";
  try {
    (void)Subscription::open(client_of(options, ClusterMode::standalone), {kKeyspace + "*"});
    FAIL() << "PSUBSCRIBE was not refused";
  } catch (const ReplyError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("source " + endpoint_of(server)), std::string::npos) << message;
    EXPECT_NE(message.find("PSUBSCRIBE refused: NOPERM"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace riot::redis
