#pragma once
// A source of the keys a comparison found different: they are read again
// (repair) and compared again (recompare) without walking the keyspace.

#include <memory>
#include <string>
#include <vector>

#include "riot/components.hpp"

namespace riot::host {

class ListedKeysSource final : public Source {
 public:
  // `keys` is shared by the repair and the recompare passes.
  ListedKeysSource(std::shared_ptr<const std::vector<std::string>> keys, std::size_t batch_size);

  std::optional<std::uint64_t> estimate_total() override { return keys_->size(); }
  // Batches of `batch_size` keys, each event as a scan would make it, with
  // its cluster slot.
  void run(std::size_t partition, KeyBatchWriter& out) override;

 private:
  std::shared_ptr<const std::vector<std::string>> keys_;
  std::size_t batch_size_;
};

}  // namespace riot::host
