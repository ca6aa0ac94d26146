#pragma once
// Keyed lanes between the sources and the readers (live replication).
//
// Every key has one lane (lane_of), and each lane is read by one reader
// worker, in order, whose records go to one sink worker (by the same rule):
// an older read of a key can never overtake a newer one, however many
// workers run. An event for a key already waiting unread is merged into it
// (coalesced): the read happens later and sees the newest value anyway, so a
// key rewritten many times is read once, not once per change. A key a reader
// has taken is no longer waiting: a change meanwhile queues it again, and
// that read comes after the one in flight.
//
// Capacity is counted apart for notifications and for the events of walks
// (scan, reconciliation): a walk waits for room (backpressure), a
// notification never waits, since the subscriber must keep reading or the
// server drops it. A notification finding no room overflows and the caller
// makes up for it (a reconciliation pass).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "key_dispatch.hpp"
#include "riot/host/pipeline_spec.hpp"

namespace riot::host {

struct EventLaneSettings {
  std::size_t lanes = 1;               // one per reader worker
  std::size_t batch_size = 200;        // the most a reader takes at once
  std::size_t walk_capacity = 10000;   // scan and reconciliation events waiting, over all lanes
  std::size_t event_capacity = 10000;  // notifications waiting, over all lanes
  EventOrder order = EventOrder::fifo;
};

class EventLanes final : public KeyDispatch {
 public:
  explicit EventLanes(const EventLaneSettings& settings);
  ~EventLanes() override;

  std::optional<Admission> push(KeyBatch& batch) override;
  bool pop(std::size_t worker, KeyBatch& out) override;
  void close() override;
  void abort() override;
  std::size_t waiting() const override;

 private:
  struct Lane;

  // Queues the events of `events` (all of this lane) as far as room allows;
  // false once closed.
  bool admit(Lane& lane, std::vector<KeyEvent*>& events, Admission& admission);

  EventLaneSettings settings_;
  std::size_t walk_capacity_per_lane_;
  std::size_t event_capacity_per_lane_;
  std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace riot::host
