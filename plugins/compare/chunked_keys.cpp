#include "chunked_keys.hpp"

namespace riot::compare_plugin {

ChunkedKey& ChunkedKeys::start(const Record& first_chunk, const Datatype& datatype) {
  ChunkedKey& key = keys_[first_chunk.key];
  key = ChunkedKey{};
  key.datatype = &datatype;
  key.reading = first_chunk.chunk.reading;
  key.gathered.key = first_chunk.key;
  key.gathered.kind = RecordKind::value;
  key.gathered.type = first_chunk.type;
  return key;
}

ChunkedKey* ChunkedKeys::find(std::string_view key) {
  const auto found = keys_.find(std::string(key));
  return found == keys_.end() ? nullptr : &found->second;
}

void ChunkedKeys::finish(std::string_view key) {
  keys_.erase(std::string(key));
}

}  // namespace riot::compare_plugin
