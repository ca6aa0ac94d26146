#include "redis/subscription_node.hpp"

#include <algorithm>

#include "redis/reply_stream.hpp"
#include "redis/transport.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

constexpr std::string_view kPing = "*1\r\n$4\r\nPING\r\n";

bool is_kind(const Reply& reply, std::string_view kind) {
  return reply.is_array() && !reply.elements.empty() && reply.elements[0].str == kind;
}

// ["psubscribe", pattern, count]
bool is_acknowledgement(const Reply& reply) {
  return is_kind(reply, "psubscribe") && reply.elements.size() == 3;
}

// Redis compares a PSUBSCRIBE pattern with the user's allowed channel
// patterns literally (&__keyspace@*__:* does not allow __keyspace@0__:*), so
// the hint names the very patterns riot subscribes to.
std::string refusal_message(const std::string& reply, const std::vector<std::string>& patterns) {
  std::string message = "PSUBSCRIBE refused: " + reply;
  if (reply.starts_with("NOPERM")) {
    std::string channels;
    for (const std::string& pattern : patterns) channels += " &" + pattern;
    message += " (grant the user +psubscribe and these channel patterns, literally:" + channels +
               "; or allchannels)";
  }
  return message;
}

}  // namespace

NodeSubscriber::NodeSubscriber(ConnectionOptions options, std::string endpoint, State state)
    : connection_(std::move(options)), endpoint_(std::move(endpoint)), state_(state) {}

void NodeSubscriber::subscribe(const std::vector<std::string>& patterns) {
  connection_.connect();
  // Once subscribed, the server pushes messages: a ROLE sent then would
  // read one of them as its reply. The subscription asks the sentinels
  // instead (Subscription::check_sentinel_master).
  connection_.role_checks_ = false;
  std::vector<std::string_view> command{"PSUBSCRIBE"};
  command.insert(command.end(), patterns.begin(), patterns.end());
  // command() returns the first reply; the other acknowledgements follow.
  const Reply first = connection_.command(std::span<const std::string_view>(command));
  if (first.is_error()) {
    connection_.close();
    throw ReplyError(connection_.describe(), refusal_message(first.str, patterns));
  }
  if (!is_acknowledgement(first)) {
    connection_.close();
    throw ProtocolError(connection_.describe(), "PSUBSCRIBE was not acknowledged");
  }
  await_acknowledgements(patterns.size() - 1, patterns.front());
  state_ = State::subscribed;
  last_traffic_ = Clock::now();
  ping_outstanding_ = false;
  pings_unanswered_ = 0;
  unsent_ping_ = {};
}

void NodeSubscriber::await_acknowledgements(std::size_t count, std::string_view first_pattern) {
  const Deadline deadline = deadline_after(connection_.options().command_timeout);
  Transport& transport = *connection_.transport_;
  ReplyStream& stream = *connection_.stream_;
  try {
    for (std::size_t acknowledged = 0; acknowledged < count;) {
      if (stream.next(reply_)) {
        // Only acknowledgements can come before the last one: the server
        // subscribes every pattern of the command before it runs another.
        if (!is_acknowledgement(reply_))
          throw ProtocolError(connection_.describe(),
                              "PSUBSCRIBE " + std::string(first_pattern) +
                                  "...: something other than its acknowledgements came first");
        ++acknowledged;
      } else if (!stream.receive(transport) && !transport.wait(false, deadline)) {
        throw TimeoutError(connection_.describe(),
                           "PSUBSCRIBE was not acknowledged within " +
                               std::to_string(connection_.options().command_timeout.count()) +
                               " ms (command timeout)");
      }
    }
  } catch (...) {
    connection_.close();
    throw;
  }
}

void NodeSubscriber::lose(std::string reason, Clock::time_point now, Clock::time_point retry_at) {
  connection_.close();
  state_ = State::lost;
  recovery_ = Recovery{std::move(reason), now, retry_at, 0, {}};
}

bool NodeSubscriber::next_message(SubscriptionMessage& out) {
  while (connection_.stream_->next(reply_)) {
    // ["pmessage", pattern, channel, payload]; ["message", channel, payload]
    // for a plain SUBSCRIBE.
    if (is_kind(reply_, "pmessage") && reply_.elements.size() == 4) {
      out.pattern = std::move(reply_.elements[1].str);
      out.channel = std::move(reply_.elements[2].str);
      out.payload = std::move(reply_.elements[3].str);
      return true;
    }
    if (is_kind(reply_, "message") && reply_.elements.size() == 3) {
      out.pattern.clear();
      out.channel = std::move(reply_.elements[1].str);
      out.payload = std::move(reply_.elements[2].str);
      return true;
    }
    const bool answers_ping = is_kind(reply_, "pong") || reply_.is_error();
    if (answers_ping && pings_unanswered_ > 0) {
      --pings_unanswered_;
      continue;
    }
    // A subscribed connection gets no other error reply: it is not what it
    // should be.
    if (reply_.is_error()) throw ProtocolError(connection_.describe(), reply_.str);
    // Otherwise an acknowledgement: nothing more.
  }
  return false;
}

void NodeSubscriber::receive() {
  if (connection_.stream_->receive(*connection_.transport_)) {
    last_traffic_ = Clock::now();
    ping_outstanding_ = false;
  }
}

pollfd NodeSubscriber::poll_entry() const noexcept {
  const Transport& transport = *connection_.transport_;
  return pollfd{transport.socket(), transport.poll_events(!unsent_ping_.empty()), 0};
}

bool NodeSubscriber::has_buffered_input() const noexcept {
  return connection_.transport_->has_buffered_input();
}

std::string NodeSubscriber::keep_alive(Clock::time_point now, std::chrono::milliseconds keepalive) {
  if (keepalive <= std::chrono::milliseconds::zero() || state_ != State::subscribed) return {};
  if (!unsent_ping_.empty()) send_ping();
  if (!ping_outstanding_) {
    if (now - last_traffic_ < keepalive) return {};
    ping_outstanding_ = true;
    ++pings_unanswered_;
    ping_sent_at_ = now;
    unsent_ping_ = kPing;
    send_ping();
    return {};
  }
  const std::chrono::milliseconds timeout = connection_.options().command_timeout;
  if (timeout <= std::chrono::milliseconds::zero() || now - ping_sent_at_ < timeout) return {};
  return "no answer to PING within " + std::to_string(timeout.count()) +
         " ms (command timeout) after " + std::to_string(keepalive.count()) + " ms of silence";
}

NodeSubscriber::Clock::time_point NodeSubscriber::keepalive_due(
    std::chrono::milliseconds keepalive) const noexcept {
  if (keepalive <= std::chrono::milliseconds::zero() || state_ != State::subscribed)
    return Clock::time_point::max();
  if (!ping_outstanding_) return last_traffic_ + keepalive;
  const std::chrono::milliseconds timeout = connection_.options().command_timeout;
  if (timeout <= std::chrono::milliseconds::zero()) return Clock::time_point::max();
  return ping_sent_at_ + timeout;
}

void NodeSubscriber::send_ping() {
  const std::size_t sent = connection_.transport_->write_some(std::span(&unsent_ping_, 1));
  unsent_ping_.remove_prefix(std::min(sent, unsent_ping_.size()));
}

}  // namespace riot::redis::detail
