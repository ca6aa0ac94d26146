#include "staging_key.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>

#include "riot/redis/cluster/slot.hpp"

namespace riot::values {
namespace {

using redis::cluster::kSlotCount;

// Every slot's tag, found once by trying the shortest strings of an alphabet
// without braces until each slot has one (three characters cover them all:
// 62^3 candidates for 16384 slots).
class SlotTags {
 public:
  SlotTags() {
    static constexpr std::string_view kAlphabet =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::size_t found = 0;
    std::string candidate;
    for (std::size_t length = 1; found < kSlotCount && length <= 4; ++length) {
      std::size_t combinations = 1;
      for (std::size_t i = 0; i < length; ++i) combinations *= kAlphabet.size();
      candidate.assign(length, kAlphabet[0]);
      for (std::size_t n = 0; n < combinations && found < kSlotCount; ++n) {
        std::size_t rest = n;
        for (std::size_t i = 0; i < length; ++i) {
          candidate[i] = kAlphabet[rest % kAlphabet.size()];
          rest /= kAlphabet.size();
        }
        std::string& tag = tags_[redis::cluster::key_slot(candidate)];
        if (!tag.empty()) continue;
        tag = candidate;
        ++found;
      }
    }
  }

  std::string_view of(std::uint16_t slot) const { return tags_[slot % kSlotCount]; }

 private:
  std::array<std::string, kSlotCount> tags_;
};

}  // namespace

std::string_view slot_tag(std::uint16_t slot) {
  static const SlotTags tags;  // thread-safe initialization, once per process
  return tags.of(slot);
}

std::string staging_key(std::string_view key, std::string_view run_tag) {
  const std::string_view tag = slot_tag(redis::cluster::key_slot(key));
  std::string name;
  name.reserve(tag.size() + kStagingPrefix.size() + run_tag.size() + key.size() + 3);
  name.append("{").append(tag).append("}").append(kStagingPrefix).append(run_tag).append(":");
  name.append(key);
  return name;
}

std::string new_run_tag() {
  std::random_device entropy;
  std::uniform_int_distribution<std::uint32_t> digits;
  std::array<char, 9> text{};
  std::snprintf(text.data(), text.size(), "%08x", digits(entropy));
  return std::string(text.data(), 8);
}

}  // namespace riot::values
