#include "riot/redis/connection.hpp"

#include "redis/pipeline_exchange.hpp"
#include "redis/reply_stream.hpp"
#include "redis/transport.hpp"

namespace riot::redis {

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)), description_(options_.describe()) {}

Connection::~Connection() {
  close();
}

Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

void Connection::connect() {
  close();
  const detail::Deadline deadline = detail::deadline_after(options_.connect_timeout);
  if (!stream_) stream_ = std::make_unique<detail::ReplyStream>(description_);
  transport_ = open_transport(options_, deadline);
  try {
    handshake(deadline);
  } catch (...) {
    close();
    throw;
  }
}

void Connection::close() noexcept {
  transport_.reset();
  if (stream_) stream_->reset();
}

bool Connection::is_connected() const noexcept {
  return transport_ != nullptr;
}

void Connection::ensure_connected() {
  if (!transport_) connect();
}

// AUTH, SELECT and CLIENT SETNAME go in one round trip. When none of them is
// needed a PING goes instead, so that a connection that connect() returns has
// been answered by the server.
void Connection::handshake(detail::Deadline deadline) {
  const bool authenticate = !options_.uri.user.empty() || !options_.uri.password.empty();
  const bool select = options_.uri.db != 0;
  const std::string db = std::to_string(options_.uri.db);
  // Its own buffers: command() may be connecting, with its command waiting in
  // single_command_.
  CommandBuffer commands;
  std::vector<Reply> replies;
  if (authenticate && options_.uri.user.empty())
    commands.append({"AUTH", options_.uri.password});
  else if (authenticate)
    commands.append({"AUTH", options_.uri.user, options_.uri.password});
  if (select) commands.append({"SELECT", db});
  const std::size_t set_name_index = commands.size();
  const bool set_name = !options_.client_name.empty();
  if (set_name) commands.append({"CLIENT", "SETNAME", options_.client_name});
  if (options_.read_only) commands.append({"READONLY"});
  if (commands.empty()) commands.append({"PING"});

  detail::ExchangeLimits limits;
  limits.window = commands.size();
  limits.end = deadline;
  limits.connecting = true;
  limits.timeout = options_.connect_timeout;
  detail::exchange(*transport_, *stream_, commands, replies, limits, description_);

  // The server's own text says what is wrong ("WRONGPASS invalid
  // username-password pair or user is disabled.").
  std::size_t index = 0;
  if (authenticate) {
    const Reply& auth = replies[index++];
    if (auth.is_error()) throw ReplyError(description_, auth.str);
  }
  if (select) {
    const Reply& selected = replies[index++];
    if (selected.is_error())
      throw ReplyError(description_, "cannot select database " + db + ": " + selected.str);
  }
  if (options_.read_only) {
    const Reply& read_only = replies.back();
    if (read_only.is_error())
      throw ReplyError(description_,
                       "READONLY (needed to read from a replica) failed: " + read_only.str);
  }
  for (; index < replies.size(); ++index) {
    // CLIENT SETNAME only labels the connection in CLIENT LIST, and managed
    // services may rename CLIENT away: its refusal is no reason to fail. A
    // server that wants a password refuses it (and PING) with NOAUTH, which
    // is worth saying now rather than at the first command.
    const Reply& reply = replies[index];
    if (reply.is_error() && reply.str.starts_with("NOAUTH"))
      throw ReplyError(description_, reply.str);
  }
  const bool name_refused = set_name && replies[set_name_index].is_error();
  client_name_refusal_ = name_refused ? replies[set_name_index].str : std::string();
}

Reply Connection::command(std::initializer_list<std::string_view> args) {
  return command(std::span<const std::string_view>(args.begin(), args.size()));
}

Reply Connection::command(std::span<const std::string_view> args) {
  single_command_.clear();
  single_command_.append(args);
  single_reply_.clear();
  pipeline(single_command_, single_reply_);
  return std::move(single_reply_.front());
}

Reply Connection::checked(std::initializer_list<std::string_view> args) {
  Reply reply = command(args);
  if (reply.is_error()) throw ReplyError(description_, reply.str);
  return reply;
}

void Connection::pipeline(const CommandBuffer& commands, std::vector<Reply>& replies) {
  if (commands.empty()) return;
  ensure_connected();
  const std::size_t original_size = replies.size();
  replies.reserve(original_size + commands.size());
  detail::ExchangeLimits limits;
  limits.window = options_.pipeline_window;
  limits.idle = options_.command_timeout;
  limits.timeout = options_.command_timeout;
  try {
    detail::exchange(*transport_, *stream_, commands, replies, limits, description_);
  } catch (...) {
    // Whatever failed, the stream may hold half a reply or unanswered
    // commands: it cannot be used again.
    replies.erase(replies.begin() + static_cast<std::ptrdiff_t>(original_size), replies.end());
    close();
    throw;
  }
}

}  // namespace riot::redis
