#pragma once
// The one exchange every Connection call runs: send a batch of commands and
// collect one reply per command, with a bounded number in flight.

#include <chrono>
#include <string>
#include <vector>

#include "redis/deadline.hpp"
#include "riot/redis/command_buffer.hpp"
#include "riot/redis/reply.hpp"

namespace riot::redis {
class Transport;
}

namespace riot::redis::detail {

class ReplyStream;

struct ExchangeLimits {
  std::size_t window = 1000;          // commands in flight at most
  std::chrono::milliseconds idle{0};  // the longest wait without progress (0: none)
  Deadline end = Deadline::max();     // an absolute end as well (the connect deadline)
  // For the message of a TimeoutError: the handshake of connect() times out
  // as a connect does; everything else as a command does.
  bool connecting = false;
  std::chrono::milliseconds timeout{0};  // the configured timeout the message names
};

// Appends exactly commands.size() replies to `replies`, or throws: IoError,
// TimeoutError or ProtocolError naming `endpoint`, or RequestRejectedError
// when the server refused a command it could not parse, which closes the
// connection (whether or not the close was seen yet). Writing and reading
// interleave (a non-blocking write of what the window allows, then a read of
// what arrived), so neither side's socket buffer can fill up and stall the
// other, however large the batch.
void exchange(Transport& transport, ReplyStream& stream, const CommandBuffer& commands,
              std::vector<Reply>& replies, const ExchangeLimits& limits,
              const std::string& endpoint);

}  // namespace riot::redis::detail
