// Default behaviour of the optional Datatype methods, and policy names.
// (Helper s1 owns this file from here.)

#include "riot/datatype.hpp"

#include <stdexcept>

namespace riot {

std::string_view to_string(MergePolicy policy) {
  return policy == MergePolicy::merge ? "merge" : "overwrite";
}

std::string_view to_string(StreamIdPolicy policy) {
  return policy == StreamIdPolicy::drop ? "drop" : "propagate";
}

std::size_t Datatype::append_chunk_read(std::string_view, const ChunkCursor&, std::size_t,
                                        redis::KeyedCommands&) const {
  throw std::logic_error("datatype " + std::string(type_name()) + " does not read in chunks");
}

ReadStatus Datatype::decode_chunk_read(std::span<redis::Reply>, ChunkCursor&, std::size_t,
                                       Record&) const {
  throw std::logic_error("datatype " + std::string(type_name()) + " does not read in chunks");
}

std::string Datatype::check_write_reply(std::size_t, const redis::Reply& reply) const {
  return reply.is_error() ? reply.str : std::string();
}

}  // namespace riot
