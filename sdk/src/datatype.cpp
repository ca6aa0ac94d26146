#include "riot/datatype.hpp"

#include <stdexcept>

namespace riot {
namespace {

[[noreturn]] void refuse_chunk_probes(const Datatype& datatype) {
  // Callers ask compares_in_chunks() first: reaching this is a bug of the caller.
  throw std::logic_error("datatype \"" + std::string(datatype.type_name()) +
                         "\" does not compare in chunks");
}

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

std::optional<std::int64_t> Datatype::decode_size(const redis::Reply& reply) const {
  if (reply.type != redis::ReplyType::integer) return std::nullopt;
  return reply.integer;
}

std::size_t Datatype::append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                         std::string_view key,
                                         redis::KeyedCommands& commands) const {
  (void)chunk;
  (void)probe;
  (void)key;
  (void)commands;
  refuse_chunk_probes(*this);
}

ValueComparison Datatype::decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                             ChunkProbe& probe) const {
  (void)replies;
  (void)chunk;
  (void)probe;
  refuse_chunk_probes(*this);
}

}  // namespace riot
