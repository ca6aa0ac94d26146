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
  Reply reply;
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
}

}  // namespace riot::redis::detail
