#pragma once
// datatype.stream: streams read, written and compared with everything a
// client can see and rebuild of them: entries with their ids, the stream's
// last id, entries added and max deleted id, consumer groups with their last
// delivered id and entries read, consumers, and pending entries with their
// delivery counts and times. docs/datatypes.md ("stream") describes the parts
// layout, the policies and what Redis does not let a client rebuild.

#include "riot/datatype.hpp"
#include "riot/host_context.hpp"
#include "stream_losses.hpp"

namespace riot::stream_plugin {

class StreamDatatype final : public Datatype {
 public:
  explicit StreamDatatype(HostContext& host) : losses_(host) {}

  std::string_view type_name() const override { return "stream"; }

  // XINFO STREAM key FULL COUNT 0: the whole value in one command.
  std::size_t append_read(std::string_view key, redis::KeyedCommands& commands) const override;
  ReadStatus decode_read(std::span<redis::Reply> replies, Record& record) const override;

  bool reads_in_chunks() const override { return true; }
  std::size_t append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                std::size_t chunk_bytes,
                                redis::KeyedCommands& commands) const override;
  ReadStatus decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                               std::size_t chunk_bytes, Record& record) const override;

  std::size_t append_write(const Record& record, std::string_view key, const WriteOptions& options,
                           redis::KeyedCommands& commands) const override;
  // What the target already holds is no failure (stream_writes.hpp); an
  // XCLAIM that claimed nothing is a pending entry of a deleted message,
  // counted.
  std::string check_write_reply(std::size_t command, const redis::Reply& reply) const override;

  ValueComparison compare(const Record& source, const Record& target) const override;
  // XLEN.
  std::size_t append_size(std::string_view key, redis::KeyedCommands& commands) const override;

  // Chunk by chunk: entries by id ranges, the metadata with the last chunk
  // (stream_chunk_probes.hpp).
  bool compares_in_chunks() const override { return true; }
  std::size_t append_chunk_probe(const Record& chunk, const ChunkProbe& probe, std::string_view key,
                                 redis::KeyedCommands& commands) const override;
  ValueComparison decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                     ChunkProbe& probe) const override;

 private:
  mutable StreamLosses losses_;  // thread-safe counters
};

}  // namespace riot::stream_plugin
