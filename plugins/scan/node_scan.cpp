#include "node_scan.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <utility>

#include "riot/redis/cluster/topology.hpp"
#include "riot/redis/errors.hpp"

namespace riot::scan_plugin {

NodeScan::NodeScan(redis::ConnectionOptions connection, const ScanOptions& options,
                   RetryOptions retry, HostContext& host, std::string label, Relocate relocate)
    : connection_(std::move(connection)),
      options_(options),
      pipeline_(retry, host),
      host_(host),
      label_(std::move(label)),
      relocate_(std::move(relocate)),
      count_text_(std::to_string(options_.count)) {}

std::string NodeScan::describe() const {
  return label_.empty() ? connection_.describe() : connection_.describe() + " (" + label_ + ")";
}

std::optional<std::uint64_t> NodeScan::estimate(std::span<const redis::cluster::SlotRange> slots) {
  if (slots.empty()) {
    // DBSIZE counts every key: with a MATCH or TYPE filter it is only an
    // upper bound, which still gives progress a sensible scale.
    const std::array<std::string_view, 1> dbsize{"DBSIZE"};
    const std::optional<redis::Reply> size =
        command_with_retries([&] { return std::span<const std::string_view>(dbsize); }, "DBSIZE");
    if (!size) return std::nullopt;
    if (size->is_error()) {
      // DBSIZE only serves progress: a user denied it still copies.
      host_.logger().info(
          "{}: DBSIZE refused ({}): no estimate of the keys to copy, progress shows "
          "no percentage",
          describe(), size->str);
      return std::nullopt;
    }
    if (!size->is_integer() || size->integer < 0) return std::nullopt;
    return static_cast<std::uint64_t>(size->integer);
  }
  // One pipelined round trip for all the slots.
  redis::CommandBuffer commands;
  std::vector<std::string> numbers;
  for (const redis::cluster::SlotRange& range : slots)
    for (std::size_t slot = range.first; slot <= range.last; ++slot)
      numbers.push_back(std::to_string(slot));
  for (const std::string& number : numbers) commands.append({"CLUSTER", "COUNTKEYSINSLOT", number});
  std::vector<redis::Reply> replies;
  try {
    connection_.pipeline(commands, replies);
  } catch (const redis::IoError& error) {
    host_.logger().debug("no key count from {}: {}", describe(), error.what());
    return std::nullopt;
  }
  std::uint64_t total = 0;
  for (const redis::Reply& reply : replies) {
    if (reply.is_error()) {
      host_.logger().info(
          "{}: CLUSTER COUNTKEYSINSLOT refused ({}): no estimate of the keys to "
          "copy, progress shows no percentage",
          describe(), reply.str);
      return std::nullopt;
    }
    if (!reply.is_integer() || reply.integer < 0) return std::nullopt;
    total += static_cast<std::uint64_t>(reply.integer);
  }
  return total;
}

void NodeScan::run(KeyBatchWriter& out) {
  cursor_ = "0";  // every run is a complete walk (a reconciliation pass runs it again)
  std::array<std::string_view, 8> args{"SCAN", "", "MATCH", options_.match, "COUNT", count_text_};
  std::size_t argc = 6;
  if (options_.type) {
    args[argc++] = "TYPE";
    args[argc++] = *options_.type;
  }

  std::uint64_t pages = 0;
  std::uint64_t keys_emitted = 0;
  cursor_node_.clear();
  bool restarted = false;
  do {
    restarted = false;
    if (host_.cancellation().cancelled() || out.finish_requested()) break;
    // A retry resumes from the same cursor: the page it stands for was not
    // received (or from 0 when the shard moved to another node meanwhile).
    const std::string what =
        "SCAN from cursor " + cursor_ + ", " + std::to_string(keys_emitted) + " keys emitted";
    std::optional<redis::Reply> answer = command_with_retries(
        [&] {
          args[1] = cursor_;
          return std::span<const std::string_view>(args.data(), argc);
        },
        what);
    if (!answer) break;
    redis::Reply& reply = *answer;
    if (reply.is_error()) {
      throw redis::ReplyError(connection_.describe(), "SCAN failed: " + reply.str);
    }
    if (!reply.is_array() || reply.elements.size() != 2 || !reply.elements[1].is_array()) {
      throw redis::ReplyError(connection_.describe(), "SCAN returned an unexpected reply");
    }
    if (!cursor_node_.empty() && connection_.node() != cursor_node_) {
      // Reconnected to another server (through sentinels): the page was
      // read with a cursor of the previous one.
      host_.logger().warn(
          "{}: reconnected to {} after {} (a failover): scanning it from the start; keys "
          "already emitted are read again",
          describe(), connection_.node(), cursor_node_);
      cursor_node_ = connection_.node();
      cursor_ = "0";
      progress_.restart();
      restarted = true;
      continue;
    }
    cursor_node_ = connection_.node();
    cursor_ = std::move(reply.elements[0].str);
    ++pages;

    KeyBatch batch = to_batch(reply.elements[1]);
    progress_.page(cursor_, batch.size());
    // With a filter most pages can be empty: there is nothing to pass on.
    if (batch.empty()) continue;
    const std::size_t size = batch.size();
    Metrics::add(host_.metrics().keys_scanned, size);
    keys_emitted += size;
    host_.logger().trace("{}: page {} brought {} keys (cursor {})", describe(), pages, size,
                         cursor_);
    if (!out.push(std::move(batch))) break;
  } while (restarted || cursor_ != "0");

  host_.logger().debug("{}: {} after {} pages, {} keys emitted", describe(),
                       cursor_ == "0" ? "finished" : "stopped", pages, keys_emitted);
}

std::optional<redis::Reply> NodeScan::command_with_retries(const ArgumentsOf& arguments,
                                                           const std::string& what) {
  RetryingPipeline::Command command{arguments, what, [this] { follow_shard(); }};
  redis::Reply reply;
  const RetryOutcome outcome =
      pipeline_.send(connection_, command, reply, [this] { return describe(); });
  switch (outcome.status) {
    case RetryOutcome::Status::answered:
      return reply;
    case RetryOutcome::Status::cancelled:
      return std::nullopt;
    case RetryOutcome::Status::exhausted:
      break;
  }
  outcome.throw_gave_up(connection_.describe());
}

void NodeScan::follow_shard() {
  if (!relocate_) return;
  const std::optional<redis::cluster::NodeAddress> node = relocate_();
  const redis::Uri& uri = connection_.options().uri;
  if (!node || (node->host == uri.host && node->port == uri.port)) return;
  host_.logger().warn(
      "{} is now served by {} (a failover): scanning it from the start there; keys "
      "already emitted are read again",
      describe(), node->endpoint());
  redis::ConnectionOptions options =
      redis::cluster::node_options(connection_.options(), *node, connection_.options().read_only);
  connection_ = redis::Connection(std::move(options));
  cursor_ = "0";
  cursor_node_.clear();
  progress_.restart();
}

KeyBatch NodeScan::to_batch(redis::Reply& keys) const {
  const int db = connection_.options().uri.db;
  const bool filter = !options_.key_slots.is_all();
  KeyBatch batch;
  batch.reserve(keys.elements.size());
  for (redis::Reply& key : keys.elements) {
    if (filter && !options_.key_slots.contains_key(key.str)) continue;
    KeyEvent& event = batch.emplace_back();
    event.key = std::move(key.str);
    event.db = db;
    event.origin = KeyOrigin::scan;
    event.event = KeyEventType::set;
  }
  return batch;
}

}  // namespace riot::scan_plugin
