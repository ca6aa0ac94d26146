#pragma once
// datatype.zset: [member, score, member, score, ...] with each score as the
// server printed it, read by ZRANGE ... WITHSCORES (index ranges of it in
// chunks, in score order: see index_ranges.hpp), written verbatim by ZADD, so
// that a score round-trips exactly. Scores compare as numbers: "1" and "1.0"
// are one score.

#include "scanned_collection.hpp"

namespace riot::struct_plugin {

class ZsetDatatype final : public ScannedCollection {
 public:
  ZsetDatatype();
  std::size_t append_read(std::string_view key, redis::KeyedCommands& commands) const override;
  std::size_t append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                std::size_t chunk_bytes,
                                redis::KeyedCommands& commands) const override;
  ReadStatus decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                               std::size_t chunk_bytes, Record& record) const override;

 protected:
  std::string_view read_command() const override { return "ZRANGE"; }
  // "score 1.5 vs 2"; "1" and "1.0", "inf" and "+inf" are one score.
  std::string value_difference(std::string_view source, std::string_view target) const override;
};

}  // namespace riot::struct_plugin
