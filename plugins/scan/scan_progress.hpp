#pragma once
// How many keys a filtered SCAN walk will have emitted at its end, estimated
// while it runs. DBSIZE counts every key, so under a filter (MATCH, TYPE, or
// key_slots applied client-side) it says nothing of the total. But SCAN's
// cursor tells how much of the keyspace's hash table the walk has covered:
// the server walks the table's buckets in reverse-binary order, so the
// cursor read with its bits reversed grows from 0 to the table's size, and
// divided by it is the fraction walked. Keys sit in buckets by a hash of
// their name, whatever the filter, so the keys emitted so far over the
// fraction walked estimate the total; its relative error is about
// sqrt((1 - walked) / emitted), one standard deviation.
//
// No estimate is given before the walks have emitted kFewestKeysForEstimate
// keys in all (the standard deviation is then 3.2% at most, so the estimate
// is within 15% of the truth but for a 1-in-100000 chance) and each covered
// a 64th of its table: no percentage rather than a wrong one. A server whose
// cursor is not a single table's (one table per slot, as newer servers keep
// in cluster mode: the slot sits in the cursor's low bits) shows it by a
// fraction that goes back: that walk gives no estimate then.

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>

namespace riot::scan_plugin {

// Keys emitted (over every walk) before an estimate is given.
inline constexpr std::uint64_t kFewestKeysForEstimate = 1000;

// The fraction of its hash table a SCAN walk has covered once the server
// returned `cursor` as the next one: the cursor's bits reversed, over 2^64
// (the table's size is a power of two, and the cursor's bits above it are 0).
// 1 for the cursor 0 that ends a walk.
double walked_fraction(std::uint64_t cursor) noexcept;

// A walk's state, as the estimate needs it.
struct WalkSample {
  std::uint64_t emitted = 0;  // keys emitted since the walk (re)started
  double walked = 0;          // fraction of the table covered, 0 to 1
  bool finished = false;      // the cursor came back to 0: `emitted` is the total
  bool unreadable = false;    // the cursor went back: `walked` means nothing
};

// The keys the walks will have emitted in all; nothing while the samples are
// too thin to tell (see above). Never below the keys already emitted.
std::optional<std::uint64_t> estimate_total_keys(std::span<const WalkSample> walks);

// The progress of one walk: updated by the walk's thread after each page,
// read by whichever thread asks for the estimate.
class ScanProgress {
 public:
  // After a page: the cursor the server returned, and the keys passed on.
  // A cursor that is not a number leaves the fraction walked as it was; one
  // whose fraction goes back makes the walk unreadable.
  void page(std::string_view next_cursor, std::uint64_t keys_emitted);
  // The walk starts over from cursor 0 (on the shard's new node).
  void restart();
  WalkSample sample() const;

 private:
  mutable std::mutex mutex_;
  WalkSample sample_;
};

}  // namespace riot::scan_plugin
