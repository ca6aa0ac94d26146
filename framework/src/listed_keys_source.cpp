#include "listed_keys_source.hpp"

#include <algorithm>

#include "riot/redis/cluster/slot.hpp"

namespace riot::host {

ListedKeysSource::ListedKeysSource(std::shared_ptr<const std::vector<std::string>> keys,
                                   std::size_t batch_size)
    : keys_(std::move(keys)), batch_size_(std::max<std::size_t>(1, batch_size)) {}

void ListedKeysSource::run(std::size_t /*partition*/, KeyBatchWriter& out) {
  const std::vector<std::string>& keys = *keys_;
  for (std::size_t first = 0; first < keys.size(); first += batch_size_) {
    const std::size_t last = std::min(keys.size(), first + batch_size_);
    KeyBatch batch;
    batch.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
      KeyEvent& event = batch.emplace_back();
      event.key = keys[i];
      event.origin = KeyOrigin::scan;
      event.event = KeyEventType::set;
      event.slot = redis::cluster::key_slot(event.key);
    }
    if (!out.push(std::move(batch))) return;
  }
}

}  // namespace riot::host
