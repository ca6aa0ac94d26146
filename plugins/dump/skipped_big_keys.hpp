#pragma once
// Keys codec.dump leaves unread because they are over mem_limit_bytes
// (over_limit "skip", RIOT's --mem-limit). Skipping is what the user asked
// for, not a failure: each key is counted in keys_skipped and named with its
// size in a warning, and the run summary says it in a note per batch,
// "2 keys over --mem-limit (10.0 MiB) skipped, not copied: "big:1" (~12.3
// MiB), "big:2" (a hash of 2000000 elements)". A reader adds a few such notes
// at most: past them a skipped key is in the log and the count only, so that
// a source full of big keys cannot flood the summary.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "key_sizes.hpp"
#include "riot/host_context.hpp"

namespace riot::dump_plugin {

class SkippedBigKeys {
 public:
  SkippedBigKeys(std::uint64_t limit_bytes, HostContext& host)
      : limit_bytes_(limit_bytes), host_(host) {}

  // A key of the current batch, left unread.
  void skip(std::string_view key, const KeySize& size);

  // Ends the batch: counts its skipped keys and adds its summary note.
  void end_batch();

 private:
  std::uint64_t limit_bytes_;
  HostContext& host_;
  std::uint64_t batch_count_ = 0;
  std::string batch_named_;  // the keys the batch's note names, with their sizes
  std::size_t notes_ = 0;    // notes this reader added
};

}  // namespace riot::dump_plugin
