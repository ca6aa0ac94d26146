#pragma once
// How many keys a reader reads per round trip. A key batch holds
// `batch_size` keys, but reading them all at once may bring back hundreds of
// megabytes when values are large; so a reader worker splits the batch into
// rounds of about `round_bytes` of values, sized by what the keys it has read
// so far weighed. Small values: one round per batch, as if there were no
// limit. Large ones: a few keys per round, and memory stays bounded.

#include <algorithm>
#include <cstddef>

namespace riot::host {

class ReadRounds {
 public:
  // Keys of the first round, before any size is known: few enough that even
  // values of a megabyte or more stay within reason.
  static constexpr std::size_t kFirstRoundKeys = 16;

  explicit ReadRounds(std::size_t round_bytes)
      : round_bytes_(std::max<std::size_t>(round_bytes, 1)) {}

  // How many of the `remaining` keys the next round takes: at least one.
  std::size_t next_round(std::size_t remaining) const {
    if (bytes_per_key_ < 0) return std::min(remaining, kFirstRoundKeys);
    const double keys = static_cast<double>(round_bytes_) / std::max(bytes_per_key_, 1.0);
    if (keys >= static_cast<double>(remaining)) return remaining;
    return std::max<std::size_t>(1, static_cast<std::size_t>(keys));
  }

  // What a round of `keys` keys brought back, in bytes. The estimate follows
  // recent rounds (half the weight to the newest), so it adapts when the
  // keyspace moves from small values to large ones.
  void record(std::size_t keys, std::size_t bytes) {
    if (keys == 0) return;
    const double per_key = static_cast<double>(bytes) / static_cast<double>(keys);
    bytes_per_key_ = bytes_per_key_ < 0 ? per_key : (bytes_per_key_ + per_key) / 2;
  }

 private:
  std::size_t round_bytes_;
  double bytes_per_key_ = -1;  // unknown before the first round
};

}  // namespace riot::host
