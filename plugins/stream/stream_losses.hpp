#pragma once
// What a stream copy cannot rebuild on the target, counted over a run so that
// nothing is lost silently (docs/datatypes.md, "stream"). The first loss of
// each kind is a warning and a note for the run summary; every later one a
// debug line; the totals are logged when the datatype goes at the end of the
// run. Thread-safe: the datatype that owns it is shared by every worker.

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "riot/host_context.hpp"

namespace riot::stream_plugin {

enum class StreamLoss : std::uint8_t {
  pending_of_deleted_message,  // XCLAIM cannot claim an entry the source deleted
  pending_under_dropped_ids,   // the entries got new ids: the PEL's ids mean nothing there
  group_placed_at_start,  // dropped ids, a big stream: the group's entry is in an earlier chunk
};

class StreamLosses {
 public:
  explicit StreamLosses(HostContext& host) : host_(host) {}
  ~StreamLosses();
  StreamLosses(const StreamLosses&) = delete;
  StreamLosses& operator=(const StreamLosses&) = delete;

  // `key` is empty when the one who found the loss does not know it.
  void add(StreamLoss loss, std::uint64_t count, std::string_view key);

  std::uint64_t total(StreamLoss loss) const noexcept {
    return totals_[static_cast<std::size_t>(loss)].load(std::memory_order_relaxed);
  }

 private:
  static constexpr std::size_t kKinds = 3;
  HostContext& host_;
  std::array<std::atomic<std::uint64_t>, kKinds> totals_{};
};

}  // namespace riot::stream_plugin
