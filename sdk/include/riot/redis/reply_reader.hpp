#pragma once
// An incremental RESP parser: bytes in, Reply objects out. hiredis's
// redisReader does the parsing; its object callbacks build the Reply tree in
// place (arrays are sized up front and children constructed in their slots),
// so no intermediate redisReply is allocated or copied.
//
// Connection uses one per connection. It is public for code that speaks RESP
// over a stream of its own (a test proxy, a subscriber) and for the tests.

#include <span>
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

  // A top-level bulk string at least this long is not parsed by hiredis,
  // which would hold it whole in its buffer and then copy it into the reply:
  // its bytes go straight into the reply's string, held once.
  static constexpr std::size_t kDirectBulk = 64 * 1024;

  // Appends received bytes. They may end anywhere, even inside a reply.
  void feed(std::string_view bytes);

  // While the body of a large bulk string is being received, where its next
  // bytes go: the caller may receive straight into this span and then call
  // received_directly() with the count, instead of feed(). Empty otherwise.
  std::span<char> direct_space() noexcept;
  void received_directly(std::size_t count);

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
  [[noreturn]] void throw_malformed_bulk() const;
  // Takes over a large top-level bulk string that hiredis has begun to
  // parse; returns whether it did.
  bool starts_direct_bulk();
  // Consumes the start of `bytes` as the body and trailer of the large bulk
  // being received; returns what follows it.
  std::string_view take_direct_bulk(std::string_view bytes);

  std::string endpoint_;
  Reply root_;  // the reply being built; hiredis points at it until it is complete
  redisReader* parser_ = nullptr;

  // A large top-level bulk string read past hiredis.
  enum class Direct { none, body, trailer, complete, failed };
  Direct direct_ = Direct::none;
  Reply bulk_;  // the string reply being filled
  std::size_t filled_ = 0;
  std::size_t trailer_seen_ = 0;  // bytes of its CRLF
};

}  // namespace riot::redis
