#pragma once
// An incremental RESP parser: bytes in, Reply objects out. hiredis's
// redisReader does the parsing; its object callbacks build the Reply tree in
// place (arrays are sized up front and children constructed in their slots),
// so no intermediate redisReply is allocated or copied.
//
// Connection uses one per connection. It is public for code that speaks RESP
// over a stream of its own (a test proxy, a subscriber) and for the tests.

#include <string>
#include <string_view>

#include "riot/redis/reply.hpp"

struct redisReader;  // hiredis

namespace riot::redis {

class ReplyReader {
 public:
  // `endpoint` starts ProtocolError messages, as in every client error.
  explicit ReplyReader(std::string endpoint = {});
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  // Appends received bytes. They may end anywhere, even inside a reply.
  void feed(std::string_view bytes);

  // Moves the next complete reply into `out` and returns true, or returns
  // false when more bytes are needed. Throws ProtocolError for a malformed
  // stream; the reader then fails until reset().
  bool next(Reply& out);

  // Forgets buffered bytes, any partial reply and any error (for a new
  // connection).
  void reset() noexcept;

 private:
  redisReader* parser();
  [[noreturn]] void throw_error() const;

  std::string endpoint_;
  Reply root_;  // the reply being built; hiredis points at it until it is complete
  redisReader* parser_ = nullptr;
};

}  // namespace riot::redis
