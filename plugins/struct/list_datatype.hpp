#pragma once
// datatype.list: [element, ...] in list order, read by LRANGE (index ranges
// in chunks), written by RPUSH, compared index by index.

#include "riot/datatype.hpp"

namespace riot::struct_plugin {

class ListDatatype final : public Datatype {
 public:
  std::string_view type_name() const override { return "list"; }

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

  // Order matters: the first differing index, then the lengths.
  ValueComparison compare(const Record& source, const Record& target) const override;
  std::size_t append_size(std::string_view key, redis::KeyedCommands& commands) const override;

  // A chunk is checked against the same index range of the target (LRANGE),
  // with LLEN: 0 is a missing key, and at the last chunk the length.
  bool compares_in_chunks() const override { return true; }
  std::size_t append_chunk_probe(const Record& chunk, const ChunkProbe& probe, std::string_view key,
                                 redis::KeyedCommands& commands) const override;
  ValueComparison decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                     ChunkProbe& probe) const override;
};

}  // namespace riot::struct_plugin
