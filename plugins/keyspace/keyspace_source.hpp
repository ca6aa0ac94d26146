#pragma once
// source.keyspace: follows the changes of one database through keyspace
// notifications (PSUBSCRIBE __keyspace@<db>__:<match>), on a single server or
// on every master of a cluster, and emits each changed key as a key event
// until the host asks it to finish. It runs as one partition: one thread
// follows every master through the SDK's Subscription.
//
// Pub/sub cannot be slowed down, only followed, and what is published while
// a connection is down is gone. So every loss is logged, the node subscribed
// again (following failovers on a cluster), and a reconciliation requested
// once the subscription is back, which repairs whatever the gap hid.

#include <chrono>
#include <optional>
#include <string>

#include "flush_watch.hpp"
#include "riot/components.hpp"
#include "riot/host_context.hpp"
#include "riot/redis/client.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/subscription.hpp"
#include "riot/retry.hpp"

namespace riot::keyspace_plugin {

struct KeyspaceOptions {
  std::string match = "*";  // glob of the keys followed
  // Only keys whose slot is in these ranges (computed from each key).
  redis::cluster::SlotSet key_slots = redis::cluster::SlotSet::all();
  // The longest events read are held before they are handed on.
  std::chrono::milliseconds flush_interval{5};
  bool check_notifications = true;  // refuse a server without the needed flags
};

struct KeyspaceSettings {
  redis::ClientOptions client;
  KeyspaceOptions options;
  RetryOptions retry;
};

// Reads the settings of a configuration; throws std::invalid_argument naming
// the key at fault.
KeyspaceSettings parse_settings(const nlohmann::json& config);

class KeyspaceSource final : public Source {
 public:
  // Connects (to every node, on a cluster) so that a wrong address or
  // password fails before the run, and reports the endpoint read.
  KeyspaceSource(KeyspaceSettings settings, HostContext& host);

  // Subscribes on every master, then checks notify-keyspace-events on each
  // (when check_notifications): throws, refusing the run, when flags are
  // missing. The subscription exists when it returns, so no change made
  // after it is missed.
  void connect() override;
  bool unbounded() const override { return true; }
  // Emits the keys notified until the host asks to finish.
  void run(std::size_t partition, KeyBatchWriter& out) override;

 private:
  // What happened to the subscription: logged, and a reconciliation
  // requested when messages may have been missed.
  void handle(const redis::SubscriptionEvent& event);
  // Appends the keys of the messages to `batch`, as events observed at
  // `observed_at`.
  void convert(redis::SubscriptionBatch& received, KeyBatch& batch,
               Expiry::Clock::time_point observed_at);

  KeyspaceSettings settings_;
  HostContext& host_;
  std::string channel_prefix_;
  std::optional<redis::Subscription> subscription_;
  FlushWatch flush_watch_;
};

}  // namespace riot::keyspace_plugin
