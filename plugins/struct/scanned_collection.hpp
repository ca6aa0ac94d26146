#pragma once
// What hash, set and zset share: a collection of elements (a field and its
// value, a member, a member and its score) that one command reads whole, a
// SCAN-family cursor reads in chunks (HSCAN, SSCAN ... COUNT step; a zset
// reads index ranges instead, see zset_datatype.hpp), one variadic command
// adds to (HSET, SADD, ZADD) and one looks up by name on the target, for a
// chunk's comparison (HMGET, SMISMEMBER, ZMSCORE). Order does not matter to
// any of them: a comparison ignores it, and SCAN may return an element
// twice, which adding twice makes harmless (see docs/datatypes.md,
// "Comparing", for what it does to a comparison).

#include <string>
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
  std::string_view lookup;     // "HMGET": answers, per name, its value or nil (0 for a set)
  std::string_view size;       // "HLEN"
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

  std::size_t append_size(std::string_view key, redis::KeyedCommands& commands) const override;

  // A chunk is looked up by name on the target (scanned_collection_probes.cpp).
  bool compares_in_chunks() const override { return true; }
  std::size_t append_chunk_probe(const Record& chunk, const ChunkProbe& probe, std::string_view key,
                                 redis::KeyedCommands& commands) const override;
  ValueComparison decode_chunk_probe(std::span<redis::Reply> replies, const Record& chunk,
                                     ChunkProbe& probe) const override;

 protected:
  explicit ScannedCollection(CollectionCommands commands) : commands_(commands) {}

  // The name of the command append_read() sends, for messages.
  virtual std::string_view read_command() const = 0;
  // What tells two values of one field (scores of one member) apart, "" when
  // they are the same; unused for a stride of 1.
  virtual std::string value_difference(std::string_view source, std::string_view target) const;

 private:
  // `<element> "<name>"`: `field "f2"`.
  std::string element_named(std::string_view name) const;

  CollectionCommands commands_;
};

}  // namespace riot::struct_plugin
