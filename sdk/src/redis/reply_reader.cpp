#include "riot/redis/reply_reader.hpp"

#include <hiredis/read.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <new>

#include "riot/redis/errors.hpp"

namespace riot::redis {
namespace {

// hiredis calls these while parsing. Each fills in a Reply and returns it;
// hiredis hands an array back as the parent (task->parent->obj) of its items.
// The root reply is the reader's own member, which every task reaches through
// its privdata; every other reply is the slot task->idx of its parent's
// `elements`, which create_array sized, so nothing is allocated but what the
// replies hold. They must not throw into C code: an allocation failure
// returns nullptr, which hiredis reports as out of memory.

Reply* slot_for(const redisReadTask* task) {
  if (task->parent == nullptr) return static_cast<Reply*>(task->privdata);
  auto* parent = static_cast<Reply*>(task->parent->obj);
  return &parent->elements[static_cast<std::size_t>(task->idx)];
}

ReplyType line_type(int hiredis_type) {
  switch (hiredis_type) {
    case REDIS_REPLY_ERROR:
      return ReplyType::error;
    case REDIS_REPLY_STATUS:
      return ReplyType::status;
    default:
      return ReplyType::string;
  }
}

void* create_string(const redisReadTask* task, char* text, size_t length) {
  try {
    Reply* reply = slot_for(task);
    reply->type = line_type(task->type);
    reply->str.assign(text, length);
    return reply;
  } catch (...) {
    return nullptr;
  }
}

void* create_array(const redisReadTask* task, int elements) {
  try {
    Reply* reply = slot_for(task);
    reply->type = ReplyType::array;
    reply->elements.resize(static_cast<std::size_t>(elements));
    return reply;
  } catch (...) {
    return nullptr;
  }
}

void* create_integer(const redisReadTask* task, long long value) {
  Reply* reply = slot_for(task);
  reply->type = ReplyType::integer;
  reply->integer = value;
  return reply;
}

void* create_nil(const redisReadTask* task) {
  Reply* reply = slot_for(task);
  reply->type = ReplyType::nil;
  return reply;
}

// hiredis frees only the root of a reply, complete or not: after a parse
// error, or when the reader goes with a reply half read. The children live
// inside the root, so clearing it releases the whole partial tree.
void free_object(void* object) {
  *static_cast<Reply*>(object) = Reply{};
}

redisReplyObjectFunctions kReplyFunctions{create_string, create_array, create_integer, create_nil,
                                          free_object};

}  // namespace

ReplyReader::ReplyReader(std::string endpoint) : endpoint_(std::move(endpoint)) {}

ReplyReader::~ReplyReader() {
  reset();
}

void ReplyReader::reset() noexcept {
  if (parser_ != nullptr) ::redisReaderFree(parser_);
  parser_ = nullptr;
  root_ = Reply{};
  direct_ = Direct::none;
  bulk_ = Reply{};
  filled_ = 0;
  trailer_seen_ = 0;
}

// Created on first use, so that reset() (called when a connection closes)
// cannot fail for lack of memory.
redisReader* ReplyReader::parser() {
  if (parser_ == nullptr) {
    parser_ = ::redisReaderCreateWithFunctions(&kReplyFunctions);
    if (parser_ == nullptr) throw std::bad_alloc();
    parser_->privdata = &root_;
  }
  return parser_;
}

void ReplyReader::feed(std::string_view bytes) {
  if (direct_ == Direct::failed) throw_malformed_bulk();
  if (direct_ == Direct::body || direct_ == Direct::trailer) bytes = take_direct_bulk(bytes);
  if (bytes.empty()) return;
  if (::redisReaderFeed(parser(), bytes.data(), bytes.size()) != REDIS_OK) throw_error();
}

std::span<char> ReplyReader::direct_space() noexcept {
  if (direct_ != Direct::body) return {};
  return std::span<char>(bulk_.str).subspan(filled_);
}

void ReplyReader::received_directly(std::size_t count) {
  filled_ += count;
  if (filled_ == bulk_.str.size()) direct_ = Direct::trailer;
}

bool ReplyReader::next(Reply& out) {
  if (direct_ == Direct::failed) throw_malformed_bulk();
  if (direct_ == Direct::body || direct_ == Direct::trailer) return false;
  if (direct_ == Direct::complete) {
    // Nothing was given to hiredis after the bulk started: it comes first.
    out = std::move(bulk_);
    bulk_ = Reply{};
    direct_ = Direct::none;
    return true;
  }
  redisReader* reader = parser();
  void* complete = nullptr;
  if (::redisReaderGetReply(reader, &complete) != REDIS_OK) throw_error();
  if (complete != nullptr) {
    out = std::move(root_);
    root_ = Reply{};
    return true;
  }
  if (!starts_direct_bulk()) return false;
  return next(out);  // the whole bulk may have been buffered already
}

// hiredis, given the start of a top-level bulk string and not its whole body,
// stops with its first task typed as a string and its cursor on the length.
// When that length is large, the bulk is taken over here: the bytes hiredis
// buffered after the header go into the reply's string, hiredis is left
// empty at a reply boundary, and the rest of the body is fed (or received)
// straight into the string.
bool ReplyReader::starts_direct_bulk() {
  redisReader* reader = parser();
  if (reader->ridx != 0 || reader->rstack[0].type != REDIS_REPLY_STRING) return false;
  const std::string_view buffered(reader->buf + reader->pos, reader->len - reader->pos);
  const std::size_t line_end = buffered.find("\r\n");
  if (line_end == std::string_view::npos) return false;
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(buffered.data(), buffered.data() + line_end, length);
  // A malformed length ("-1" is nil) is hiredis's to report.
  if (error != std::errc() || end != buffered.data() + line_end || length < kDirectBulk)
    return false;
  bulk_.type = ReplyType::string;
  bulk_.str.resize(length);
  filled_ = 0;
  trailer_seen_ = 0;
  direct_ = Direct::body;
  reader->pos = reader->len;
  reader->ridx = -1;
  // What hiredis buffered ends within the bulk (it parses a bulk it holds
  // whole), so nothing is left over.
  take_direct_bulk(buffered.substr(line_end + 2));
  return true;
}

std::string_view ReplyReader::take_direct_bulk(std::string_view bytes) {
  if (direct_ == Direct::body) {
    const std::size_t count = std::min(bytes.size(), bulk_.str.size() - filled_);
    if (count > 0) std::memcpy(bulk_.str.data() + filled_, bytes.data(), count);
    received_directly(count);
    bytes.remove_prefix(count);
  }
  if (direct_ == Direct::trailer) {
    for (; !bytes.empty() && trailer_seen_ < 2; ++trailer_seen_) {
      if (bytes.front() != "\r\n"[trailer_seen_]) {
        direct_ = Direct::failed;
        bulk_ = Reply{};
        throw_malformed_bulk();
      }
      bytes.remove_prefix(1);
    }
    if (trailer_seen_ == 2) direct_ = Direct::complete;
  }
  return bytes;
}

void ReplyReader::throw_malformed_bulk() const {
  throw ProtocolError(endpoint_, "malformed reply (a bulk string not ended by CRLF)");
}

void ReplyReader::throw_error() const {
  if (parser_->err == REDIS_ERR_OOM) throw std::bad_alloc();
  throw ProtocolError(endpoint_, std::string("malformed reply (") + parser_->errstr + ")");
}

}  // namespace riot::redis
