#include "riot/redis/reply_reader.hpp"

#include <hiredis/read.h>

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
  redisReader* reader = parser();
  if (::redisReaderFeed(reader, bytes.data(), bytes.size()) != REDIS_OK) throw_error();
}

bool ReplyReader::next(Reply& out) {
  redisReader* reader = parser();
  void* complete = nullptr;
  if (::redisReaderGetReply(reader, &complete) != REDIS_OK) throw_error();
  if (complete == nullptr) return false;
  out = std::move(root_);
  root_ = Reply{};
  return true;
}

void ReplyReader::throw_error() const {
  if (parser_->err == REDIS_ERR_OOM) throw std::bad_alloc();
  throw ProtocolError(endpoint_, std::string("malformed reply (") + parser_->errstr + ")");
}

}  // namespace riot::redis
