#pragma once
// One server of a Subscription: a dedicated connection that PSUBSCRIBEs and
// then only receives what the server pushes, plus what the subscription
// needs to know to recover it (why and when it was lost, the retries made).

#include <poll.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "redis/deadline.hpp"
#include "riot/redis/connection.hpp"
#include "riot/redis/subscription.hpp"

namespace riot::redis::detail {

class NodeSubscriber {
 public:
  using Clock = std::chrono::steady_clock;

  enum class State {
    subscribed,
    pending,  // new (a master found by a topology refresh): not subscribed yet
    lost,     // was subscribed, the connection broke
  };

  // `endpoint` ("host:port") names the node in events.
  NodeSubscriber(ConnectionOptions options, std::string endpoint, State state);

  const std::string& endpoint() const noexcept { return endpoint_; }
  // "host:port" of the server subscribed last (see Connection::node).
  const std::string& node() const noexcept { return connection_.node(); }
  std::string describe() const { return connection_.describe(); }
  const ConnectionOptions& options() const noexcept { return connection_.options(); }
  State state() const noexcept { return state_; }

  // Connects, sends one PSUBSCRIBE with every pattern and waits (within the
  // command timeout) until each is acknowledged. A single command, because
  // the server runs it at once: no message can come before the last
  // acknowledgement, and none published afterwards is missed. Throws the
  // connection's errors, or ReplyError when the server refuses.
  void subscribe(const std::vector<std::string>& patterns);

  // Closes the connection, which is now lost for `reason`; the next attempt
  // is due at `retry_at`.
  void lose(std::string reason, Clock::time_point now, Clock::time_point retry_at);

  // The next message among the bytes received (PONGs and acknowledgements
  // are skipped); false when none is complete yet. `out.node` is left as it
  // is. Throws ProtocolError for a malformed stream.
  bool next_message(SubscriptionMessage& out);

  // Receives what the socket has ready. Throws IoError when the connection
  // broke (closed by the server: its output-buffer limit, a restart).
  void receive();

  // For one poll() over every node.
  pollfd poll_entry() const noexcept;
  bool has_buffered_input() const noexcept;

  // Sends a PING when the node has been silent for `keepalive`; returns why
  // the node counts as lost (no answer within the command timeout), empty
  // while it is alive. Zero keepalive: nothing.
  std::string keep_alive(Clock::time_point now, std::chrono::milliseconds keepalive);
  // When keep_alive() has something to do next.
  Clock::time_point keepalive_due(std::chrono::milliseconds keepalive) const noexcept;

  // The recovery of a node that is not subscribed.
  struct Recovery {
    // Why it is not: the loss ("connection closed by the server"), or for a
    // pending node what it is ("a new master of slots 0-5460").
    std::string reason;
    Clock::time_point since{};
    Clock::time_point retry_at{};
    int retries_made = 0;
    std::string last_problem;  // of the last failed attempt
  };
  Recovery& recovery() noexcept { return recovery_; }

 private:
  // Bytes of the PING not yet sent (a socket that takes none now takes them
  // at the next call).
  void send_ping();
  // Waits for the acknowledgements of PSUBSCRIBE after the first.
  void await_acknowledgements(std::size_t count, std::string_view first_pattern);

  Connection connection_;
  std::string endpoint_;
  State state_;
  Recovery recovery_;
  Clock::time_point last_traffic_{};
  bool ping_outstanding_ = false;  // sent, and nothing received since
  // PINGs whose answer was not parsed yet: a PONG, or an error where an ACL
  // refuses PING, which proves the server alive just as well.
  std::size_t pings_unanswered_ = 0;
  Clock::time_point ping_sent_at_{};
  std::string_view unsent_ping_;
  Reply reply_;  // scratch for next_message()
};

}  // namespace riot::redis::detail
