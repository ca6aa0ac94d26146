#include "stream_datatype.hpp"

#include "stream_chunk_probes.hpp"
#include "stream_chunk_reads.hpp"
#include "stream_compare.hpp"
#include "stream_replies.hpp"
#include "stream_writes.hpp"

namespace riot::stream_plugin {

std::size_t StreamDatatype::append_read(std::string_view key,
                                        redis::KeyedCommands& commands) const {
  commands.append(key, {"XINFO", "STREAM", key, "FULL", "COUNT", "0"});
  return 1;
}

ReadStatus StreamDatatype::decode_read(std::span<redis::Reply> replies, Record& record) const {
  const ReadStatus status = read_status(replies[0], "XINFO STREAM FULL");
  if (status != ReadStatus::value) return status;
  record.parts.clear();
  append_full_stream(replies[0], record.parts);
  return ReadStatus::value;
}

std::size_t StreamDatatype::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                              std::size_t /*chunk_bytes*/,
                                              redis::KeyedCommands& commands) const {
  return append_stream_chunk_read(key, cursor, commands);
}

ReadStatus StreamDatatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                             std::size_t chunk_bytes, Record& record) const {
  return decode_stream_chunk(replies, cursor, chunk_bytes, record);
}

std::size_t StreamDatatype::append_write(const Record& record, std::string_view key,
                                         const WriteOptions& options,
                                         redis::KeyedCommands& commands) const {
  return append_stream_writes(record, key, options, commands, losses_);
}

std::string StreamDatatype::check_write_reply(std::size_t command,
                                              const redis::Reply& reply) const {
  // Only XCLAIM ... JUSTID answers with an array: the ids it claimed.
  if (reply.is_array() && reply.elements.empty()) {
    losses_.add(StreamLoss::pending_of_deleted_message, 1, {});
    return {};
  }
  if (reply.is_error() && is_already_applied(reply.str)) return {};
  return Datatype::check_write_reply(command, reply);
}

ValueComparison StreamDatatype::compare(const Record& source, const Record& target) const {
  return compare_streams(source, target);
}

std::size_t StreamDatatype::append_size(std::string_view key,
                                        redis::KeyedCommands& commands) const {
  commands.append(key, {"XLEN", key});
  return 1;
}

std::size_t StreamDatatype::append_chunk_probe(const Record& chunk, const ChunkProbe& probe,
                                               std::string_view key,
                                               redis::KeyedCommands& commands) const {
  return append_stream_chunk_probe(chunk, probe, key, commands);
}

ValueComparison StreamDatatype::decode_chunk_probe(std::span<redis::Reply> replies,
                                                   const Record& chunk, ChunkProbe& probe) const {
  return decode_stream_chunk_probe(replies, chunk, probe);
}

}  // namespace riot::stream_plugin
