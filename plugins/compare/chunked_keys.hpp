#pragma once
// The big keys a comparator is in the middle of: the chunks of one key come
// in order to the same comparator, possibly spread over several batches with
// other keys in between, and each is checked against the target as it comes
// (Datatype::append_chunk_probe), so that memory holds a chunk, not a key.
// What one key's comparison must remember between its chunks lives here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "classification.hpp"
#include "riot/datatype.hpp"
#include "riot/record.hpp"

namespace riot::compare_plugin {

struct ChunkedKey {
  const Datatype* datatype = nullptr;
  std::uint64_t reading = 0;  // ValueChunk::reading of its chunks
  ChunkProbe probe;
  KeySides sides;  // both sides' types and expiries, from the first chunk
  // The first difference found: later chunks are not probed.
  std::optional<ValueComparison> difference;
  bool settled = false;  // missing or of another type on the target: no probe at all
  bool failed = false;   // reported as failed: no outcome
  // A datatype that reads in chunks but does not compare in chunks: the
  // source's chunks gathered, compared whole at the last.
  Record gathered;

  bool probing() const noexcept { return !settled && !failed && !difference; }
  bool gathers() const noexcept { return !datatype->compares_in_chunks(); }
};

class ChunkedKeys {
 public:
  // A key's first chunk: its comparison starts afresh (a new reading of a
  // key replaces an unfinished one).
  ChunkedKey& start(const Record& first_chunk, const Datatype& datatype);
  // The key's comparison in progress, or nullptr (its first chunk failed).
  ChunkedKey* find(std::string_view key);
  void finish(std::string_view key);
  std::size_t size() const noexcept { return keys_.size(); }

 private:
  std::unordered_map<std::string, ChunkedKey> keys_;
};

}  // namespace riot::compare_plugin
