#include "zset_datatype.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "index_ranges.hpp"

namespace riot::struct_plugin {
namespace {

constexpr RangeCommands kRanges{"ZRANGE", "ZCARD", true, 2};

std::optional<double> score_of(std::string_view text) {
  // from_chars takes no '+' (Redis may print "inf" but never "+inf"; a
  // document may hold it).
  if (text.starts_with('+')) text.remove_prefix(1);
  double score = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), score);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return score;
}

}  // namespace

ZsetDatatype::ZsetDatatype()
    : ScannedCollection(
          {"zset", "ZSCAN", "ZADD", 2, ElementOrder::reversed, "member", "ZMSCORE", "ZCARD"}) {}

std::size_t ZsetDatatype::append_read(std::string_view key, redis::KeyedCommands& commands) const {
  commands.append(key, {"ZRANGE", key, "0", "-1", "WITHSCORES"});
  return 1;
}

std::size_t ZsetDatatype::append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                            std::size_t chunk_bytes,
                                            redis::KeyedCommands& commands) const {
  (void)chunk_bytes;
  return append_range_chunk(kRanges, key, cursor, commands);
}

ReadStatus ZsetDatatype::decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                                           std::size_t chunk_bytes, Record& record) const {
  return decode_range_chunk(kRanges, replies, cursor, chunk_bytes, record);
}

std::string ZsetDatatype::value_difference(std::string_view source, std::string_view target) const {
  if (source == target) return {};
  const std::optional<double> a = score_of(source);
  const std::optional<double> b = score_of(target);
  if (a && b && *a == *b) return {};
  // Scores are short numbers as the servers printed them.
  return "score " + printable_key(source, 32) + " vs " + printable_key(target, 32);
}

}  // namespace riot::struct_plugin
