#include "riot/redis/subscription.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "redis/sentinel_resolver.hpp"
#include "redis/socket_io.hpp"
#include "redis/subscription_cluster_view.hpp"
#include "redis/subscription_node.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

using detail::NodeSubscriber;
using State = NodeSubscriber::State;

// Pub/sub is the same in every database, and a cluster node refuses SELECT:
// subscriber connections stay on database 0.
ConnectionOptions without_database(ConnectionOptions options) {
  options.uri.db = 0;
  return options;
}

std::string seconds_since(std::chrono::steady_clock::time_point start) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return text;
}

int poll_timeout_ms(std::chrono::steady_clock::time_point until) {
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, INT_MAX));
}

}  // namespace

std::string_view to_string(SubscriptionEventKind kind) {
  switch (kind) {
    case SubscriptionEventKind::lost:
      return "lost";
    case SubscriptionEventKind::resubscribed:
      return "resubscribed";
    case SubscriptionEventKind::node_added:
      return "node_added";
    case SubscriptionEventKind::node_removed:
      return "node_removed";
  }
  return "lost";
}

Subscription Subscription::open(ClientOptions client, std::vector<std::string> patterns,
                                SubscriptionSettings settings) {
  Subscription subscription(std::move(client), std::move(patterns), std::move(settings));
  subscription.subscribe_all();
  return subscription;
}

Subscription::Subscription(ClientOptions client, std::vector<std::string> patterns,
                           SubscriptionSettings settings)
    : client_(std::move(client)), patterns_(std::move(patterns)), settings_(std::move(settings)) {
  if (patterns_.empty()) throw std::invalid_argument("a subscription needs at least one pattern");
  client_.connection = without_database(std::move(client_.connection));
  Connection seed(client_.connection);
  seed.connect();
  ClusterModeDecision mode = decide_cluster_mode(seed, client_.cluster, client_.probe);
  how_found_ = std::move(mode.how_found);
  if (!mode.cluster) {
    description_ = seed.describe();
    nodes_.push_back(std::make_unique<NodeSubscriber>(
        client_.connection, client_.connection.uri.endpoint(), State::pending));
    next_refresh_ = Clock::now() + settings_.topology_refresh;
    return;
  }
  const ConnectionOptions& base = client_.connection;
  description_ = (base.role.empty() ? "" : base.role + " ") + "cluster " + base.uri.endpoint();
  cluster_ = std::make_unique<detail::ClusterView>(base, std::move(seed), how_found_);
  for (const cluster::Shard& shard : cluster_->topology().shards())
    nodes_.push_back(std::make_unique<NodeSubscriber>(cluster_->node_options(shard.master),
                                                      shard.master.endpoint(), State::pending));
  next_refresh_ = Clock::now() + settings_.topology_refresh;
}

Subscription::~Subscription() = default;
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;

void Subscription::subscribe_all() {
  for (const auto& node : nodes_) node->subscribe(patterns_);
}

std::vector<SubscribedNode> Subscription::nodes() const {
  std::vector<SubscribedNode> nodes;
  for (const auto& node : nodes_) nodes.push_back({node->endpoint(), node->options()});
  return nodes;
}

std::string Subscription::describe_mode() const {
  if (!cluster_) return "a single server (" + how_found_ + ")";
  return "a Redis Cluster of " + std::to_string(cluster_->topology().shards().size()) +
         " masters (" + how_found_ + ")";
}

bool Subscription::wait(std::chrono::milliseconds timeout, SubscriptionBatch& batch) {
  batch.clear();
  const Clock::time_point deadline = Clock::now() + timeout;
  // The sockets are looked at once at least, even with no time to wait.
  for (bool polled = false;; polled = true) {
    maintain(batch);
    drain(batch);
    if (!batch.empty()) return true;
    if (polled && Clock::now() >= deadline) return false;
    poll_until(std::min(deadline, next_due()), batch);
  }
}

void Subscription::maintain(SubscriptionBatch& batch) {
  const Clock::time_point now = Clock::now();
  if (cluster_ && now >= next_refresh_) refresh_topology(batch);
  if (through_sentinels() && now >= next_refresh_) check_sentinel_master(batch);
  for (const auto& node : nodes_) {
    if (node->state() != State::subscribed && now >= node->recovery().retry_at)
      resubscribe(*node, batch);
  }
  for (const auto& node : nodes_) {
    try {
      if (std::string silent = node->keep_alive(now, settings_.keepalive); !silent.empty())
        lose(*node, silent, batch);
    } catch (const Error& error) {
      lose(*node, cause_of(error), batch);
    }
  }
}

void Subscription::refresh_topology(SubscriptionBatch& batch) {
  next_refresh_ = Clock::now() + settings_.topology_refresh;
  // When no node answers, the nodes known are followed as they are: a lost
  // one's own attempts count towards giving up.
  std::string problem;
  if (!cluster_->refresh(problem)) return;
  std::vector<std::string> masters;
  for (const cluster::Shard& shard : cluster_->topology().shards()) {
    masters.push_back(shard.master.endpoint());
  }
  // Nodes that are no longer masters (a failover demoted it, a resharding
  // emptied it) are dropped: their slots are served by masters followed.
  for (auto node = nodes_.begin(); node != nodes_.end();) {
    if (std::find(masters.begin(), masters.end(), (*node)->endpoint()) != masters.end()) {
      ++node;
      continue;
    }
    const bool gap = (*node)->state() != State::subscribed;
    batch.events.push_back({SubscriptionEventKind::node_removed, (*node)->endpoint(),
                            "no longer a master of the cluster", gap});
    node = nodes_.erase(node);
  }
  // New masters (a replica promoted, a node given slots) are subscribed
  // right away by maintain().
  const Clock::time_point now = Clock::now();
  for (const cluster::Shard& shard : cluster_->topology().shards()) {
    const std::string endpoint = shard.master.endpoint();
    const bool known = std::any_of(nodes_.begin(), nodes_.end(),
                                   [&](const auto& node) { return node->endpoint() == endpoint; });
    if (known) continue;
    auto node = std::make_unique<NodeSubscriber>(cluster_->node_options(shard.master), endpoint,
                                                 State::pending);
    node->recovery() = {"a new master of slots " + shard.describe_slots(), now, now, 0, {}};
    nodes_.push_back(std::move(node));
  }
}

void Subscription::check_sentinel_master(SubscriptionBatch& batch) {
  next_refresh_ = Clock::now() + settings_.topology_refresh;
  NodeSubscriber& node = *nodes_.front();
  // A node being subscribed again asks the sentinels anyway.
  if (node.state() != State::subscribed) return;
  detail::SentinelChoice choice;
  try {
    choice = detail::ask_sentinels(node.options());
  } catch (const Error&) {
    // Sentinels that do not answer now are asked again at the next check;
    // the subscription itself is alive.
    return;
  }
  if (choice.node.endpoint() == node.node()) return;
  lose(node,
       "the sentinels name " + choice.node.endpoint() + " instead of " + node.node() +
           " (a failover): subscribing there",
       batch);
}

void Subscription::resubscribe(NodeSubscriber& node, SubscriptionBatch& batch) {
  NodeSubscriber::Recovery& recovery = node.recovery();
  const bool was_lost = node.state() == State::lost;
  try {
    node.subscribe(patterns_);
  } catch (const Error& error) {
    ++recovery.retries_made;
    recovery.last_problem = cause_of(error);
    if (recovery.retries_made > settings_.retry.retries) {
      throw IoError(node.describe(),
                    (was_lost ? "subscription lost (" + recovery.reason + ") and not re-established"
                              : "cannot subscribe to " + recovery.reason) +
                        " after " + std::to_string(recovery.retries_made) + " attempts in " +
                        seconds_since(recovery.since) + "; last: " + recovery.last_problem);
    }
    recovery.retry_at = Clock::now() + settings_.retry.delay_before(recovery.retries_made + 1);
    // On a cluster, the node may have been replaced meanwhile: ask first.
    if (cluster_) next_refresh_ = std::min(next_refresh_, recovery.retry_at);
    return;
  }
  const std::string attempts = std::to_string(recovery.retries_made + 1) +
                               (recovery.retries_made == 0 ? " attempt" : " attempts");
  if (was_lost) {
    batch.events.push_back({SubscriptionEventKind::resubscribed, node.endpoint(),
                            "subscribed again after " + attempts + " in " +
                                seconds_since(recovery.since) + " (lost: " + recovery.reason + ")",
                            true});
  } else {
    batch.events.push_back({SubscriptionEventKind::node_added, node.endpoint(),
                            recovery.reason + ", subscribed after " + attempts, true});
  }
}

void Subscription::lose(NodeSubscriber& node, const std::string& reason, SubscriptionBatch& batch) {
  const Clock::time_point now = Clock::now();
  const Clock::time_point retry_at = now + settings_.retry.delay_before(1);
  node.lose(reason, now, retry_at);
  batch.events.push_back({SubscriptionEventKind::lost, node.endpoint(), reason, false});
  // Where the node's slots are served now is the first thing to learn.
  if (cluster_) next_refresh_ = std::min(next_refresh_, retry_at);
}

void Subscription::drain(SubscriptionBatch& batch) {
  const std::size_t count = nodes_.size();
  for (std::size_t i = 0; i < count && batch.messages.size() < settings_.max_messages; ++i) {
    NodeSubscriber& node = *nodes_[(first_node_ + i) % count];
    if (node.state() != State::subscribed) continue;
    try {
      for (;;) {
        if (batch.messages.size() == settings_.max_messages) break;
        SubscriptionMessage& message = batch.messages.emplace_back();
        if (!node.next_message(message)) {
          batch.messages.pop_back();
          break;
        }
        message.node = node.endpoint();
      }
    } catch (const Error& error) {
      batch.messages.pop_back();
      lose(node, cause_of(error), batch);
    }
  }
  // The next call starts with another node, so that a busy one cannot
  // crowd the others out of full batches.
  if (count > 0) first_node_ = (first_node_ + 1) % count;
}

void Subscription::poll_until(Clock::time_point until, SubscriptionBatch& batch) {
  std::vector<pollfd> entries;
  std::vector<NodeSubscriber*> polled;
  bool buffered = false;
  for (const auto& node : nodes_) {
    if (node->state() != State::subscribed) continue;
    entries.push_back(node->poll_entry());
    polled.push_back(node.get());
    buffered = buffered || node->has_buffered_input();
  }
  if (entries.empty()) {
    // Every node is waiting for its next attempt.
    std::this_thread::sleep_until(until);
    return;
  }
  const int ready = ::poll(entries.data(), entries.size(), buffered ? 0 : poll_timeout_ms(until));
  if (ready < 0) {
    if (errno == EINTR) return;
    throw IoError(description_, "waiting for messages failed: " + detail::errno_text(errno));
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].revents == 0 && !polled[i]->has_buffered_input()) continue;
    try {
      polled[i]->receive();
    } catch (const Error& error) {
      lose(*polled[i], cause_of(error), batch);
    }
  }
}

Subscription::Clock::time_point Subscription::next_due() const {
  Clock::time_point due =
      cluster_ || through_sentinels() ? next_refresh_ : Clock::time_point::max();
  for (const auto& node : nodes_) {
    due =
        std::min(due, node->state() == State::subscribed ? node->keepalive_due(settings_.keepalive)
                                                         : node->recovery().retry_at);
  }
  return due;
}

}  // namespace riot::redis
