#include "keyspace_source.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "keyspace_events.hpp"
#include "notification_flags.hpp"
#include "riot/redis/errors.hpp"

namespace riot::keyspace_plugin {
namespace {

using redis::SubscriptionEventKind;

// Keys handed on at most per batch.
constexpr std::size_t kBatchSize = 1000;
// How long run() waits for notifications before it looks at whether the
// host asked it to finish.
constexpr std::chrono::milliseconds kIdleWait{50};
// How often FLUSHALL, FLUSHDB and SWAPDB are looked for (flush_watch.hpp).
constexpr std::chrono::milliseconds kFlushPollInterval{3000};

}  // namespace

KeyspaceSettings parse_settings(const nlohmann::json& config) {
  KeyspaceSettings settings{
      redis::ClientOptions::from_config(config, "source"), {}, RetryOptions::from_config(config)};
  KeyspaceOptions& options = settings.options;
  options.match = config.value("match", options.match);
  if (const auto slots = config.find("key_slots"); slots != config.end() && !slots->is_null()) {
    try {
      options.key_slots = redis::cluster::SlotSet::parse(slots->get<std::string>());
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(std::string("source setting 'key_slots': ") + error.what());
    }
  }
  options.flush_interval =
      std::chrono::milliseconds(config.value("flush_interval_ms", options.flush_interval.count()));
  options.check_notifications = config.value("check_notifications", options.check_notifications);
  return settings;
}

KeyspaceSource::KeyspaceSource(KeyspaceSettings settings, HostContext& host)
    : settings_(std::move(settings)),
      host_(host),
      channel_prefix_(channel_prefix(settings_.client.connection.uri.db)),
      flush_watch_(host, kFlushPollInterval) {
  const std::unique_ptr<redis::Client> client = redis::Client::open(settings_.client);
  host_.logger().info("{} is {}", client->describe(), client->describe_mode());
  host_.report_endpoint(EndpointUse::read, client->identity());
}

void KeyspaceSource::connect() {
  redis::SubscriptionSettings subscription;
  subscription.retry = settings_.retry;
  subscription.max_messages = kBatchSize;
  subscription_.emplace(redis::Subscription::open(
      settings_.client, {channel_prefix_ + settings_.options.match}, subscription));
  const std::vector<redis::SubscribedNode> nodes = subscription_->nodes();
  if (settings_.options.check_notifications) {
    std::vector<redis::ConnectionOptions> servers;
    for (const redis::SubscribedNode& node : nodes) servers.push_back(node.options);
    check_notifications(servers, host_);
  }
  host_.logger().info("subscribed to {}{} on {} ({})", printable_key(channel_prefix_),
                      printable_key(settings_.options.match), subscription_->describe(),
                      nodes.size() == 1 ? "1 server" : std::to_string(nodes.size()) + " masters");
  // The baseline of the flush counts, before any source runs.
  flush_watch_.poll(nodes, FlushWatch::Clock::now());
}

void KeyspaceSource::run(std::size_t /*partition*/, KeyBatchWriter& out) {
  if (!subscription_) throw std::logic_error("source.keyspace: run() before connect()");
  redis::SubscriptionBatch received;
  KeyBatch batch;
  Expiry::Clock::time_point first_held{};
  while (!out.finish_requested() && !host_.cancellation().cancelled()) {
    // Held events wait at most the flush interval, counted from the first.
    const auto wait =
        batch.empty() ? kIdleWait
                      : std::chrono::ceil<std::chrono::milliseconds>(
                            first_held + settings_.options.flush_interval - Expiry::Clock::now());
    subscription_->wait(std::max(wait, std::chrono::milliseconds::zero()), received);
    const Expiry::Clock::time_point now = Expiry::Clock::now();
    if (batch.empty()) first_held = now;
    convert(received, batch, now);
    for (const redis::SubscriptionEvent& event : received.events) handle(event);
    // Natural batching: what was waiting goes at once, never held to fill a
    // batch; only a wait cut short by a full read holds it (up to the flush
    // interval) for what is still buffered.
    const bool drained = received.messages.size() < kBatchSize;
    if (!batch.empty() && (drained || batch.size() >= kBatchSize ||
                           now >= first_held + settings_.options.flush_interval)) {
      if (!out.push(std::move(batch))) return;
      batch.clear();
    }
    if (flush_watch_.due(now)) flush_watch_.poll(subscription_->nodes(), now);
  }
  if (!batch.empty()) out.push(std::move(batch));
}

void KeyspaceSource::convert(redis::SubscriptionBatch& received, KeyBatch& batch,
                             Expiry::Clock::time_point observed_at) {
  const int db = settings_.client.connection.uri.db;
  for (redis::SubscriptionMessage& message : received.messages) {
    if (!message.channel.starts_with(channel_prefix_)) continue;  // not of this database
    std::string key = std::move(message.channel);
    key.erase(0, channel_prefix_.size());  // in place: no allocation per key
    const std::uint16_t slot = redis::cluster::key_slot(key);
    if (!settings_.options.key_slots.contains(slot)) continue;
    batch.push_back(KeyEvent{.key = std::move(key),
                             .db = db,
                             .origin = KeyOrigin::notification,
                             .event = event_type(message.payload),
                             .slot = slot,
                             .observed_at = observed_at});
  }
}

void KeyspaceSource::handle(const redis::SubscriptionEvent& event) {
  const std::string what =
      "subscription to " + event.node + " " + std::string(to_string(event.kind));
  if (event.kind == SubscriptionEventKind::lost) {
    host_.logger().warn(
        "subscription to {} lost: {}; subscribing again, then reconciling what "
        "changed meanwhile",
        event.node, event.reason);
    return;
  }
  host_.logger().info("{}: {}", what, event.reason);
  // Only a pass that starts once the subscription covers the node again sees
  // every change the gap hid: requested now, not when the loss was seen.
  if (event.missed_messages) host_.request_reconciliation(what + ": " + event.reason);
}

}  // namespace riot::keyspace_plugin
