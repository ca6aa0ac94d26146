#include "redis/reply_stream.hpp"

#include <algorithm>

#include "redis/transport.hpp"

namespace riot::redis::detail {
namespace {

constexpr std::size_t kChunkSize = 64 * 1024;
constexpr std::size_t kSliceSize = 4 * 1024;

}  // namespace

ReplyStream::ReplyStream(std::string endpoint) : reader_(std::move(endpoint)), chunk_(kChunkSize) {}

bool ReplyStream::next(Reply& out) {
  while (!reader_.next(out)) {
    if (unparsed_begin_ == unparsed_end_) return false;
    const std::size_t slice = std::min(kSliceSize, unparsed_end_ - unparsed_begin_);
    reader_.feed({chunk_.data() + unparsed_begin_, slice});
    unparsed_begin_ += slice;
  }
  return true;
}

bool ReplyStream::receive(Transport& transport) {
  // Only called once every received byte went to the parser, so the chunk
  // can be refilled from its start.
  unparsed_begin_ = 0;
  unparsed_end_ = 0;
  // The body of a large bulk string goes straight into its reply's string.
  if (const std::span<char> direct = reader_.direct_space(); !direct.empty()) {
    const std::size_t received = transport.read_some(direct);
    reader_.received_directly(received);
    return received > 0;
  }
  unparsed_end_ = transport.read_some(chunk_);
  return unparsed_end_ > 0;
}

void ReplyStream::reset() noexcept {
  reader_.reset();
  unparsed_begin_ = unparsed_end_ = 0;
}

}  // namespace riot::redis::detail
