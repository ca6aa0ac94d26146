#include "riot/redis/connection.hpp"

#include "redis/pipeline_exchange.hpp"
#include "redis/reply_stream.hpp"
#include "redis/sentinel_resolver.hpp"
#include "redis/transport.hpp"

namespace riot::redis {
namespace {

// How often a connection through sentinels checks that its server still has
// the role they gave it: a demoted master keeps serving reads (stale, then
// from a resynchronised dataset) and never says so to a reader.
constexpr std::chrono::seconds kRoleCheckInterval{1};

// Error replies of a server that is no longer what it was when connected: a
// master turned replica (READONLY, and UNBLOCKED for a blocked command), a
// server restarting (LOADING) or a replica cut from its master (MASTERDOWN).
bool says_role_changed(std::string_view error, bool expect_master) {
  const std::string_view code = error.substr(0, error.find(' '));
  return (expect_master && code == "READONLY") || code == "UNBLOCKED" || code == "LOADING" ||
         code == "MASTERDOWN";
}

}  // namespace

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
  if (options_.uri.is_sentinel()) {
    open_through_sentinels(deadline);
  } else {
    if (!stream_) stream_ = std::make_unique<detail::ReplyStream>(description_);
    transport_ = open_transport(options_, deadline);
    node_ = options_.uri.endpoint();
  }
  try {
    handshake(deadline);
  } catch (...) {
    close();
    throw;
  }
}

void Connection::open_through_sentinels(detail::Deadline deadline) {
  const detail::SentinelChoice choice = detail::ask_sentinels(options_);
  const ConnectionOptions node = detail::node_options(options_, choice.node);
  node_ = choice.node.endpoint();
  expect_master_ = choice.master;
  description_ =
      node.describe() + " (" + (choice.master ? "" : "replica of ") + options_.uri.endpoint() + ")";
  // Errors of the stream name the server it reads from.
  stream_ = std::make_unique<detail::ReplyStream>(description_);
  transport_ = open_transport(node, deadline);
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
  // A sentinel's answer may be stale (a failover under way): the server
  // itself says what it is.
  const bool verify_role = options_.uri.is_sentinel();
  if (verify_role) commands.append({"ROLE"});
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
  if (verify_role) check_role(replies.back());
  if (options_.read_only) {
    const Reply& read_only = replies[replies.size() - (verify_role ? 2 : 1)];
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

void Connection::check_role(const Reply& role) {
  role_checked_at_ = std::chrono::steady_clock::now();
  // A user refused ROLE cannot be checked this way; READONLY replies still
  // reveal a demoted master.
  if (role.is_error()) return;
  const std::string found = detail::role_of(role);
  const std::string expected = expect_master_ ? "master" : "slave";
  if (found == expected) return;
  close();
  throw IoError(description_, "is now a " + (found == "slave" ? std::string("replica") : found) +
                                  " (ROLE), not the " + (expect_master_ ? "master" : "replica") +
                                  " the sentinels named: a failover; asking them again");
}

void Connection::check_sentinel_choice(std::vector<Reply>& replies, std::size_t first) {
  for (std::size_t i = first; i < replies.size(); ++i) {
    if (!replies[i].is_error() || !says_role_changed(replies[i].str, expect_master_)) continue;
    const std::string reply = replies[i].str;
    replies.erase(replies.begin() + static_cast<std::ptrdiff_t>(first), replies.end());
    close();
    throw IoError(description_, "answered \"" + reply +
                                    "\": no longer the server the sentinels named (a "
                                    "failover?); asking them again");
  }
  if (!role_checks_ || std::chrono::steady_clock::now() - role_checked_at_ < kRoleCheckInterval)
    return;
  CommandBuffer role;
  role.append({"ROLE"});
  std::vector<Reply> reply;
  exchange(role, reply);
  check_role(reply.front());
  // A forced failover leaves the old master a master for seconds (until the
  // sentinels convert it): only they tell that another server is the master.
  if (!expect_master_) return;
  std::string named;
  try {
    named = detail::ask_sentinels(options_).node.endpoint();
  } catch (const Error&) {
    return;  // sentinels out of reach say nothing about this server
  }
  if (named == node_) return;
  close();
  throw IoError(description_, "the sentinels name " + named +
                                  " as the master now (a failover); connecting there");
}

void Connection::pipeline(const CommandBuffer& commands, std::vector<Reply>& replies) {
  if (commands.empty()) return;
  ensure_connected();
  const std::size_t original_size = replies.size();
  exchange(commands, replies);
  if (options_.uri.is_sentinel()) check_sentinel_choice(replies, original_size);
}

void Connection::exchange(const CommandBuffer& commands, std::vector<Reply>& replies) {
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
