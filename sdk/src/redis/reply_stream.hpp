#pragma once
// Replies arriving on a transport: bytes are received in large chunks (few
// system calls) and handed to the parser in small slices. The slices matter:
// hiredis moves its unread bytes to the front of its buffer each time it has
// consumed 1 KiB, so a 64 KiB feed of small replies would be moved dozens of
// times; a 4 KiB slice bounds that copying to a few bytes per byte received.
// The body of a large bulk string (a DUMP payload) skips both: once the
// reader has its header, the body is received straight into the reply.

#include <cstddef>
#include <string>
#include <vector>

#include "riot/redis/reply_reader.hpp"

namespace riot::redis {
class Transport;
}

namespace riot::redis::detail {

class ReplyStream {
 public:
  explicit ReplyStream(std::string endpoint);

  // The next complete reply among the bytes already received.
  bool next(Reply& out);

  // Receives what the transport has ready (call when next() returned false);
  // false when nothing was ready.
  bool receive(Transport& transport);

  // Drops everything received (for a new connection).
  void reset() noexcept;

 private:
  ReplyReader reader_;
  std::vector<char> chunk_;
  std::size_t unparsed_begin_ = 0;
  std::size_t unparsed_end_ = 0;
};

}  // namespace riot::redis::detail
