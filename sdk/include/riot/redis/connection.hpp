#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/connection_options.hpp"
#include "riot/redis/errors.hpp"
#include "riot/redis/reply.hpp"

namespace riot::redis {

class Transport;

// A blocking connection to one Redis server, used by one thread at a time.
// Connect runs the handshake: AUTH (password, or user and password), SELECT
// when db != 0, CLIENT SETNAME. Every wait honours the configured timeouts.
// On an I/O, timeout or protocol error the connection is closed and the error
// thrown; connect() may be called again to reconnect.
class Connection {
 public:
  explicit Connection(ConnectionOptions options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

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
  // deadlock the exchange. Error replies are returned, not thrown.
  void pipeline(const CommandBuffer& commands, std::vector<Reply>& replies);

  const ConnectionOptions& options() const noexcept { return options_; }
  std::string describe() const { return options_.describe(); }

 private:
  class ReplyReader;
  void ensure_connected();
  void handshake();

  ConnectionOptions options_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<ReplyReader> reader_;
};

}  // namespace riot::redis
