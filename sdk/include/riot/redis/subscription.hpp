#pragma once
// Pub/sub messages (keyspace notifications above all) followed on one server
// or on every master of a Redis Cluster, from the calling thread.
//
// Each server gets a dedicated connection (TLS included) that does nothing
// but PSUBSCRIBE; wait() polls them all at once. Pub/sub cannot slow a server
// down, only be followed, and a connection may be lost at any time (a network
// cut, the server's client-output-buffer-limit pubsub, a failover): the
// subscription then says so, subscribes again with the retry policy's backoff
// and says when it is back, so that the caller can repair what it missed. On
// a cluster it also follows the topology: every few seconds, and at once
// after a loss, CLUSTER SLOTS is asked of any node that answers; new masters
// are subscribed, gone ones dropped. Through Redis Sentinel (a sentinel URI)
// it asks the sentinels as often which server is the master, and subscribes
// again on the new one after a failover (a lost and a resubscribed event:
// what was published meanwhile was missed).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/client.hpp"
#include "riot/retry.hpp"

namespace riot::redis {

struct SubscriptionMessage {
  std::string pattern;  // the PSUBSCRIBE pattern it matched
  std::string channel;  // binary-safe: "__keyspace@0__:" + the key
  std::string payload;  // for a keyspace notification, the event ("set", "del", "expired"...)
  std::string node;     // "host:port" of the server that published it
};

enum class SubscriptionEventKind {
  lost,          // the node's connection broke: its messages are missed until it is back
  resubscribed,  // a lost node is subscribed again
  node_added,    // a new master of the cluster is subscribed
  node_removed,  // a node that is no longer a master is dropped
};
std::string_view to_string(SubscriptionEventKind kind);

struct SubscriptionEvent {
  SubscriptionEventKind kind = SubscriptionEventKind::lost;
  std::string node;    // "host:port"
  std::string reason;  // lost: the error; otherwise what was found
  // Messages of the node may have been missed, and the gap is now closed
  // (the node is followed again, or its slots are served by nodes that are):
  // a repair that starts from now on sees whatever they would have told.
  // Set on resubscribed and node_added, and on node_removed for a node that
  // was lost.
  bool missed_messages = false;
};

// What one wait() brings: messages in the order each node sent them (nodes
// interleave), and what happened to the connections meanwhile.
struct SubscriptionBatch {
  std::vector<SubscriptionMessage> messages;
  std::vector<SubscriptionEvent> events;

  bool empty() const noexcept { return messages.empty() && events.empty(); }
  void clear() noexcept {
    messages.clear();
    events.clear();
  }
};

// A node a subscription follows.
struct SubscribedNode {
  std::string endpoint;       // "host:port", as messages and events name it
  ConnectionOptions options;  // to reach it with a connection of one's own (INFO, CONFIG)
};

struct SubscriptionSettings {
  // Attempts to subscribe a lost (or new) node again: the backoff between
  // them, and how many before wait() gives up and throws.
  RetryOptions retry;
  // How often a cluster's topology is asked for when nothing was lost.
  std::chrono::milliseconds topology_refresh{5000};
  // A node silent this long is sent a PING; one that does not answer within
  // the command timeout counts as lost (a half-open connection sends
  // nothing, not even an error). Zero: never.
  std::chrono::milliseconds keepalive{10000};
  // Messages one wait() returns at most; more stay buffered for the next.
  std::size_t max_messages = 1000;
};

namespace detail {
class NodeSubscriber;
class ClusterView;
}  // namespace detail

class Subscription {
 public:
  // Connects to the server (on a cluster: reads the topology and connects to
  // every master) and subscribes each to `patterns`; returns once every
  // node acknowledged every pattern, so that no message published after it
  // returns is missed. Cluster mode is decided as for Client::open. Throws
  // the connection's errors, or ReplyError when a server refuses PSUBSCRIBE
  // (an ACL without the channels), naming the server.
  static Subscription open(ClientOptions client, std::vector<std::string> patterns,
                           SubscriptionSettings settings = {});

  ~Subscription();
  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;

  // Fills `batch` (cleared first) with what is already received, at once
  // when anything is; otherwise waits up to `timeout` for the first message
  // or event and returns with everything that came with it. Returns whether
  // the batch holds anything. Reconnections and topology refreshes happen
  // inside, when due. Throws IoError naming the node when a lost node could
  // not be subscribed again within the retry policy.
  bool wait(std::chrono::milliseconds timeout, SubscriptionBatch& batch);

  // The nodes followed now, subscribed or being subscribed again.
  std::vector<SubscribedNode> nodes() const;
  bool is_cluster() const noexcept { return cluster_ != nullptr; }
  // "source 127.0.0.1:6379" or "source cluster 127.0.0.1:7000": the prefix
  // of messages about the whole subscription.
  const std::string& describe() const noexcept { return description_; }
  // One line for the log: "a single server (detected from INFO)", "a Redis
  // Cluster of 3 masters (cluster mode on, as configured)".
  std::string describe_mode() const;

 private:
  using Clock = std::chrono::steady_clock;

  Subscription(ClientOptions client, std::vector<std::string> patterns,
               SubscriptionSettings settings);

  // Every node's subscription at the start (throws what the first failure
  // throws).
  void subscribe_all();
  // Due work: topology refresh, re-subscription of lost nodes, keepalives.
  void maintain(SubscriptionBatch& batch);
  void refresh_topology(SubscriptionBatch& batch);
  // Through sentinels: loses the node when they name another server now.
  void check_sentinel_master(SubscriptionBatch& batch);
  bool through_sentinels() const noexcept { return client_.connection.uri.is_sentinel(); }
  void resubscribe(detail::NodeSubscriber& node, SubscriptionBatch& batch);
  void lose(detail::NodeSubscriber& node, const std::string& reason, SubscriptionBatch& batch);
  // Messages already received, from every subscribed node.
  void drain(SubscriptionBatch& batch);
  // Polls the subscribed nodes until `until` and receives what is ready.
  void poll_until(Clock::time_point until, SubscriptionBatch& batch);
  Clock::time_point next_due() const;

  ClientOptions client_;
  std::vector<std::string> patterns_;
  SubscriptionSettings settings_;
  std::string description_;
  std::string how_found_;
  std::unique_ptr<detail::ClusterView> cluster_;  // null for a single server
  std::vector<std::unique_ptr<detail::NodeSubscriber>> nodes_;
  Clock::time_point next_refresh_{};
  bool refresh_now_ = false;    // a node was lost: ask the topology before retrying
  std::size_t first_node_ = 0;  // where drain() starts, rotated for fairness
};

}  // namespace riot::redis
