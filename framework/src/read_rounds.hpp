#pragma once
// How many keys a reader reads per round trip. A key batch holds
// `batch_size` keys, but reading them all at once may bring back gigabytes
// when values are large; so a reader worker splits the batch into rounds of
// about `round_bytes` of values, sized by what the keys it has read so far
// weighed.
//
// Sizes are unknown until keys are read, so rounds start small and grow, as
// TCP's slow start does: the first round reads one key, and a round may take
// at most kGrowth times the keys of the largest round that stayed within
// the budget. A value too big for the budget is then only ever read alone
// (or with the few keys whose weight was already known to be small), and
// never fifteen more with it. Small values cost a few extra round trips per
// worker and run (1, 4, 16, 64, then whole batches of 200), then whole
// batches as if there were no limit.

#include <algorithm>
#include <cstddef>

namespace riot::host {

class ReadRounds {
 public:
  // How much a round may grow over the largest round that stayed within
  // the budget.
  static constexpr std::size_t kGrowth = 4;

  explicit ReadRounds(std::size_t round_bytes)
      : round_bytes_(std::max<std::size_t>(round_bytes, 1)) {}

  // How many of the `remaining` keys the next round takes: at least one.
  std::size_t next_round(std::size_t remaining) const {
    std::size_t keys = std::min(remaining, allowed_keys_);
    if (bytes_per_key_ > 0) {
      const double fit = static_cast<double>(round_bytes_) / bytes_per_key_;
      if (fit < static_cast<double>(keys)) keys = static_cast<std::size_t>(fit);
    }
    return std::max<std::size_t>(1, keys);
  }

  // What a round of `keys` keys brought back: `bytes` in all, `largest` for
  // its heaviest key. The estimate per key rises at once when a round was
  // heavier (the keyspace moved to large values: the next round must not
  // read many of them) and falls by halves when lighter, so that one small
  // key does not open the door to many big ones.
  void record(std::size_t keys, std::size_t bytes, std::size_t largest) {
    if (keys == 0) return;
    const double per_key = static_cast<double>(bytes) / static_cast<double>(keys);
    bytes_per_key_ = std::max(per_key, bytes_per_key_ / 2);
    if (bytes <= round_bytes_) {
      allowed_keys_ = std::max(allowed_keys_, keys * kGrowth);
    } else {
      // Over budget: the next rounds take no more keys than the budget holds
      // of the heaviest value just seen, and grow again from there.
      allowed_keys_ = std::max<std::size_t>(1, round_bytes_ / std::max<std::size_t>(1, largest));
    }
  }

 private:
  std::size_t round_bytes_;
  std::size_t allowed_keys_ = 1;  // the first round reads one key
  double bytes_per_key_ = 0;      // 0: unknown
};

}  // namespace riot::host
