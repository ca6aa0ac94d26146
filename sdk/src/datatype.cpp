#include "riot/datatype.hpp"

#include <stdexcept>

namespace riot {
namespace {

[[noreturn]] void refuse_chunks(const Datatype& datatype) {
  // Callers ask reads_in_chunks() first: reaching this is a bug of the caller.
  throw std::logic_error("datatype \"" + std::string(datatype.type_name()) +
                         "\" does not read in chunks");
}

}  // namespace

std::string_view to_string(MergePolicy policy) {
  switch (policy) {
    case MergePolicy::overwrite:
      return "overwrite";
    case MergePolicy::merge:
      return "merge";
  }
  return "unknown";
}

std::string_view to_string(StreamIdPolicy policy) {
  switch (policy) {
    case StreamIdPolicy::propagate:
      return "propagate";
    case StreamIdPolicy::drop:
      return "drop";
  }
  return "unknown";
}

std::size_t Datatype::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                        std::size_t chunk_bytes,
                                        redis::KeyedCommands& commands) const {
  (void)key;
  (void)cursor;
  (void)chunk_bytes;
  (void)commands;
  refuse_chunks(*this);
}

ReadStatus Datatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                       std::size_t chunk_bytes, Record& record) const {
  (void)replies;
  (void)cursor;
  (void)chunk_bytes;
  (void)record;
  refuse_chunks(*this);
}

std::string Datatype::check_write_reply(std::size_t command, const redis::Reply& reply) const {
  (void)command;
  return reply.is_error() ? reply.str : std::string();
}

}  // namespace riot
