#pragma once
// What hash, set and zset share: a collection of elements (a field and its
// value, a member, a member and its score) that one command reads whole, a
// SCAN-family cursor reads in chunks (HSCAN, SSCAN ... COUNT step; a zset
// reads index ranges instead, see zset_datatype.hpp),
// and one variadic command adds to (HSET, SADD, ZADD). Order does not matter
// to any of them: a comparison ignores it, and SCAN may return an element
// twice, which adding twice makes harmless.

#include <string_view>

#include "bounded_commands.hpp"
#include "riot/datatype.hpp"

namespace riot::struct_plugin {

struct CollectionCommands {
  std::string_view type_name;  // "hash"
  std::string_view scan;       // "HSCAN"
  std::string_view add;        // "HSET"
  std::size_t stride;          // parts per element: 2 for field value, 1 for member
  ElementOrder add_order;      // how add takes an element's parts
  std::string_view element;    // "field", "member": names an element in comparisons
};

class ScannedCollection : public Datatype {
 public:
  std::string_view type_name() const override { return commands_.type_name; }

  ReadStatus decode_read(std::span<redis::Reply> replies, Record& record) const override;

  bool reads_in_chunks() const override { return true; }
  std::size_t append_chunk_read(std::string_view key, const ChunkCursor& cursor,
                                std::size_t chunk_bytes,
                                redis::KeyedCommands& commands) const override;
  ReadStatus decode_chunk_read(std::span<redis::Reply> replies, ChunkCursor& cursor,
                               std::size_t chunk_bytes, Record& record) const override;

  std::size_t append_write(const Record& record, std::string_view key, const WriteOptions& options,
                           redis::KeyedCommands& commands) const override;

  ValueComparison compare(const Record& source, const Record& target) const override;

 protected:
  explicit ScannedCollection(CollectionCommands commands) : commands_(commands) {}

  // The name of the command append_read() sends, for messages.
  virtual std::string_view read_command() const = 0;
  // Whether two values of one field (scores of one member) are the same;
  // unused for a stride of 1.
  virtual bool same_value(std::string_view source, std::string_view target) const {
    return source == target;
  }

 private:
  CollectionCommands commands_;
};

}  // namespace riot::struct_plugin
