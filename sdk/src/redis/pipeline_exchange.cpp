#include "redis/pipeline_exchange.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "redis/reply_stream.hpp"
#include "redis/transport.hpp"
#include "riot/redis/errors.hpp"

namespace riot::redis::detail {
namespace {

constexpr std::size_t kPiecesPerWrite = 64;

[[noreturn]] void throw_timeout(const ExchangeLimits& limits, const std::string& endpoint) {
  const std::string ms = std::to_string(limits.timeout.count()) + " ms";
  if (limits.connecting)
    throw TimeoutError(endpoint, "connect timed out after " + ms +
                                     " (the server accepted the connection but did not answer)");
  throw TimeoutError(endpoint, "the server did not answer within " + ms + " (command timeout)");
}

// Parses every reply already received or still readable, after the
// connection failed: a server that refuses a request it cannot parse answers
// with an error and closes the connection, and a write to it may fail before
// that answer was read. Best effort: the connection is lost anyway.
void collect_last_replies(Transport& transport, ReplyStream& stream, std::size_t expected,
                          std::vector<Reply>& replies) {
  Reply reply;
  try {
    for (std::size_t received = 0; received < expected;) {
      if (stream.next(reply)) {
        replies.push_back(std::move(reply));
        ++received;
      } else if (!stream.receive(transport)) {
        return;
      }
    }
  } catch (const Error&) {
    // The end of what the server sent.
  }
}

// A server answers a request it cannot parse ("ERR Protocol error: invalid
// bulk length" for an argument longer than its proto-max-bulk-len) with an
// error and closes the connection: when that is the last reply received,
// throws the error that says so.
void throw_if_refused_and_closed(const std::vector<Reply>& replies, std::size_t first_reply,
                                 std::size_t total, const std::string& endpoint) {
  if (replies.size() == first_reply) return;
  const Reply& last = replies.back();
  if (!last.is_error() || !last.str.starts_with("ERR Protocol error")) return;
  throw RequestRejectedError(endpoint,
                             "the server closed the connection after refusing command " +
                                 std::to_string(replies.size() - first_reply) + " of " +
                                 std::to_string(total) + ": " + last.str,
                             last.str);
}

}  // namespace

void exchange(Transport& transport, ReplyStream& stream, const CommandBuffer& commands,
              std::vector<Reply>& replies, const ExchangeLimits& limits,
              const std::string& endpoint) {
  const std::size_t total = commands.size();
  const std::size_t window = std::max<std::size_t>(limits.window, 1);
  // The pieces of the stream one write sends at most: the encoded commands
  // and the large arguments they reference, each from where it lies.
  std::array<std::string_view, kPiecesPerWrite> pieces;
  std::size_t sent_bytes = 0;
  std::size_t received = 0;
  const std::size_t first_reply = replies.size();
  Reply reply;
  try {
    while (received < total) {
      bool progressed = false;
      // Replies already received are parsed before the socket is asked for more.
      while (received < total && stream.next(reply)) {
        replies.push_back(std::move(reply));
        ++received;
        progressed = true;
      }
      if (received == total) break;

      const std::size_t allowed = std::min(total, received + window);
      const std::size_t allowed_bytes = commands.end_offset(allowed - 1);
      if (sent_bytes < allowed_bytes) {
        const std::size_t count = commands.gather(sent_bytes, allowed_bytes, pieces);
        const std::size_t sent = transport.write_some(std::span(pieces.data(), count));
        sent_bytes += sent;
        progressed = progressed || sent > 0;
      }
      if (stream.receive(transport) || progressed) continue;

      const Deadline deadline = std::min(deadline_after(limits.idle), limits.end);
      if (!transport.wait(sent_bytes < allowed_bytes, deadline)) throw_timeout(limits, endpoint);
    }
  } catch (const TimeoutError&) {
    throw;
  } catch (const ProtocolError&) {
    throw;
  } catch (const IoError&) {
    // Maybe the server closed the connection after refusing a command: its
    // answer says why, when it can still be read.
    collect_last_replies(transport, stream, total - received, replies);
    throw_if_refused_and_closed(replies, first_reply, total, endpoint);
    throw;
  }
  throw_if_refused_and_closed(replies, first_reply, total, endpoint);
}

}  // namespace riot::redis::detail
