#pragma once
// datatype.string: a string value is [value]; a big one is read in chunks of
// bytes (GETRANGE), each chunk [the next bytes], written with SET then APPEND.

#include "riot/datatype.hpp"

namespace riot::struct_plugin {

class StringDatatype final : public Datatype {
 public:
  std::string_view type_name() const override { return "string"; }

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
  std::size_t append_replace(const Record& record, std::string_view key, std::int64_t ttl_ms,
                             redis::KeyedCommands& commands) const override;

  // "byte 3 differs, 10 bytes vs 12 bytes".
  ValueComparison compare(const Record& source, const Record& target) const override;
  std::size_t append_size(std::string_view key, redis::KeyedCommands& commands) const override;

  // A chunk is checked against the same byte range of the target (GETRANGE),
  // with STRLEN (the length, at the last chunk) and EXISTS.
  bool compares_in_chunks() const override { return true; }
  std::size_t append_chunk_probe(const Record& chunk, const ChunkProbe& probe, std::string_view key,
                                 redis::KeyedCommands& commands) const override;
  ValueComparison decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                     ChunkProbe& probe) const override;
};

}  // namespace riot::struct_plugin
