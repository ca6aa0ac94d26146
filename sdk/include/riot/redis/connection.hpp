#pragma once
#include <chrono>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/reply.hpp"

namespace riot::redis {

class Transport;
namespace detail {
class ReplyStream;
class NodeSubscriber;
}  // namespace detail

// A blocking connection to one Redis server, used by one thread at a time.
// Connect runs the handshake: AUTH (password, or user and password), SELECT
// when db != 0, CLIENT SETNAME. Every wait honours the configured timeouts.
// On an I/O, timeout or protocol error the connection is closed and the error
// thrown; connect() may be called again to reconnect, and a command on a
// closed connection connects first.
//
// With a sentinel URI (Uri::is_sentinel) every connect asks the sentinels
// which server to use (see SentinelOptions) and checks its ROLE, so that a
// reconnect follows a failover. While connected, a reply that says the
// server changed role or restarts (READONLY, LOADING, MASTERDOWN, UNBLOCKED),
// or a ROLE check (once a second at most) that finds it no longer what the
// sentinels named, closes the connection and throws IoError: the retrying
// pipeline then sends the batch again, to the server the sentinels name now.
class Connection {
 public:
  explicit Connection(ConnectionOptions options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  // Opens a new connection (closing any open one) and runs the handshake
  // within options().connect_timeout. An AUTH or SELECT error reply throws
  // ReplyError and leaves the connection closed; a refused CLIENT SETNAME is
  // ignored (managed services may rename CLIENT away).
  void connect();
  void close() noexcept;
  bool is_connected() const noexcept;

  // One command, one round trip. Error replies are returned, not thrown.
  Reply command(std::initializer_list<std::string_view> args);
  Reply command(std::span<const std::string_view> args);

  // Like command() but throws ReplyError for an error reply.
  Reply checked(std::initializer_list<std::string_view> args);

  // Sends every command of the buffer and appends one reply per command to
  // `replies`, in order. At most options().pipeline_window commands are in
  // flight: writing and reading interleave so neither socket buffer can
  // deadlock the exchange. Error replies are returned, not thrown. The
  // command timeout bounds every wait for the server, not the whole batch.
  // When it throws, `replies` is left as it was.
  void pipeline(const CommandBuffer& commands, std::vector<Reply>& replies);

  // The server's refusal of CLIENT SETNAME at the last connect ("NOPERM
  // ..."), empty when it accepted or none was sent: the connection is then
  // unnamed in CLIENT LIST, which is worth a line in the log, not a failure.
  const std::string& client_name_refusal() const noexcept { return client_name_refusal_; }

  const ConnectionOptions& options() const noexcept { return options_; }
  // "source 127.0.0.1:6379"; through sentinels, once connected, "source
  // 127.0.0.1:6380 (master NAME via sentinels HOST:PORT)".
  const std::string& describe() const noexcept { return description_; }
  // "host:port" of the server connected to last (the one the sentinels named,
  // for a sentinel URI), or the socket path; empty before the first connect.
  const std::string& node() const noexcept { return node_; }

 private:
  // A subscriber reads the messages the server pushes on its connection,
  // past the request/reply exchange of command() (see Subscription).
  friend class detail::NodeSubscriber;

  void ensure_connected();
  void handshake(std::chrono::steady_clock::time_point deadline);
  // Opens the transport to the server the sentinels name now.
  void open_through_sentinels(std::chrono::steady_clock::time_point deadline);
  // Throws IoError (closing the connection) when a reply says the server is
  // no longer the one the sentinels named, or the periodic ROLE check does.
  void check_sentinel_choice(std::vector<Reply>& replies, std::size_t first);
  void check_role(const Reply& role);
  // pipeline() without the sentinel checks.
  void exchange(const CommandBuffer& commands, std::vector<Reply>& replies);

  ConnectionOptions options_;
  std::string description_;  // options_.describe(), for error messages
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<detail::ReplyStream> stream_;
  std::string client_name_refusal_;
  std::string node_;
  // Through sentinels: whether the node is the master they named, and when
  // its ROLE was last checked.
  bool expect_master_ = true;
  std::chrono::steady_clock::time_point role_checked_at_{};
  bool role_checks_ = true;  // the periodic ROLE check; off on a subscriber's connection
  // Reused by command(), so that it allocates only the reply it returns.
  CommandBuffer single_command_;
  std::vector<Reply> single_reply_;
};

}  // namespace riot::redis
