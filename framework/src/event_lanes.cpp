#include "event_lanes.hpp"

#include <algorithm>
#include <utility>

namespace riot::host {

namespace {

bool is_notification(const KeyEvent& event) {
  return event.origin == KeyOrigin::notification;
}

// The earlier of two observation times, an unset one (the epoch) aside: lag
// counts from the first change the merged read stands for.
Expiry::Clock::time_point earliest_observation(Expiry::Clock::time_point a,
                                               Expiry::Clock::time_point b) {
  const Expiry::Clock::time_point unset{};
  if (a == unset) return b;
  if (b == unset) return a;
  return std::min(a, b);
}

}  // namespace

struct EventLanes::Lane {
  std::mutex mutex;
  std::condition_variable not_empty;  // its reader waits
  std::condition_variable not_full;   // walks wait
  // With EventOrder::priority notifications wait apart and go first; with
  // fifo every event waits in `in_order`.
  std::deque<KeyEvent> notifications;
  std::deque<KeyEvent> in_order;
  // The key of every event waiting, viewing the event's own bytes (deque
  // elements never move while they wait).
  std::unordered_map<std::string_view, KeyEvent*> waiting_keys;
  std::size_t notification_count = 0;
  std::size_t walk_count = 0;
  bool closed = false;
  bool aborted = false;

  std::size_t size() const { return notifications.size() + in_order.size(); }
};

EventLanes::EventLanes(const EventLaneSettings& settings)
    : settings_(settings),
      walk_capacity_per_lane_(std::max<std::size_t>(1, settings.walk_capacity / settings.lanes)),
      event_capacity_per_lane_(std::max<std::size_t>(1, settings.event_capacity / settings.lanes)) {
  lanes_.reserve(settings_.lanes);
  for (std::size_t i = 0; i < settings_.lanes; ++i) lanes_.push_back(std::make_unique<Lane>());
}

EventLanes::~EventLanes() = default;

std::optional<Admission> EventLanes::push(KeyBatch& batch) {
  Admission admission;
  std::vector<std::vector<KeyEvent*>> by_lane(lanes_.size());
  for (KeyEvent& event : batch) by_lane[lane_of(event.key, lanes_.size())].push_back(&event);
  bool open = true;
  for (std::size_t i = 0; i < lanes_.size() && open; ++i) {
    if (!by_lane[i].empty()) open = admit(*lanes_[i], by_lane[i], admission);
  }
  batch.clear();
  if (!open) return std::nullopt;
  return admission;
}

bool EventLanes::admit(Lane& lane, std::vector<KeyEvent*>& events, Admission& admission) {
  std::unique_lock lock(lane.mutex);
  std::size_t added = 0;
  for (KeyEvent* event : events) {
    if (lane.closed) return false;
    if (const auto waiting = lane.waiting_keys.find(event->key);
        waiting != lane.waiting_keys.end()) {
      KeyEvent& merged = *waiting->second;
      merged.observed_at = earliest_observation(merged.observed_at, event->observed_at);
      if (is_notification(*event)) {
        if (is_notification(merged)) {
          ++admission.coalesced_notifications;
        } else {
          // A change notified while the key waits for a walk's read: that
          // read now stands for the change, so it is applied and its lag
          // measured as the notification's (which is then not counted as
          // coalesced). It keeps its place in the queue; only the count it
          // is held under moves, and a walk waiting for room may go on.
          merged.origin = KeyOrigin::notification;
          merged.event = event->event;
          --lane.walk_count;
          ++lane.notification_count;
          lane.not_full.notify_all();
        }
      }
      ++admission.coalesced;
      continue;
    }
    const bool notification = is_notification(*event);
    if (notification) {
      if (lane.notification_count >= event_capacity_per_lane_) {
        ++admission.overflowed;
        continue;
      }
      ++lane.notification_count;
    } else {
      if (lane.walk_count >= walk_capacity_per_lane_) {
        // Let the reader work on what waits, then wait for room.
        if (added > 0) lane.not_empty.notify_one();
        added = 0;
        lane.not_full.wait(
            lock, [&] { return lane.walk_count < walk_capacity_per_lane_ || lane.closed; });
        if (lane.closed) return false;
      }
      ++lane.walk_count;
    }
    std::deque<KeyEvent>& queue = notification && settings_.order == EventOrder::priority
                                      ? lane.notifications
                                      : lane.in_order;
    KeyEvent& stored = queue.emplace_back(std::move(*event));
    lane.waiting_keys.emplace(stored.key, &stored);
    ++admission.queued;
    ++added;
  }
  lock.unlock();
  if (added > 0) lane.not_empty.notify_one();
  return true;
}

bool EventLanes::pop(std::size_t worker, KeyBatch& out) {
  Lane& lane = *lanes_.at(worker % lanes_.size());
  std::unique_lock lock(lane.mutex);
  lane.not_empty.wait(lock, [&] { return lane.size() > 0 || lane.closed; });
  if (lane.aborted || lane.size() == 0) return false;
  std::size_t walks_taken = 0;
  while (out.size() < settings_.batch_size && lane.size() > 0) {
    std::deque<KeyEvent>& queue = lane.notifications.empty() ? lane.in_order : lane.notifications;
    KeyEvent& next = queue.front();
    // Forget the key while its bytes are still where the map looks.
    lane.waiting_keys.erase(next.key);
    if (is_notification(next)) {
      --lane.notification_count;
    } else {
      --lane.walk_count;
      ++walks_taken;
    }
    out.push_back(std::move(next));
    queue.pop_front();
  }
  lock.unlock();
  if (walks_taken > 0) lane.not_full.notify_all();
  return true;
}

void EventLanes::close() {
  for (auto& lane : lanes_) {
    {
      const std::lock_guard lock(lane->mutex);
      lane->closed = true;
    }
    lane->not_empty.notify_all();
    lane->not_full.notify_all();
  }
}

void EventLanes::abort() {
  for (auto& lane : lanes_) {
    std::deque<KeyEvent> dropped_notifications;  // destroyed outside the lock
    std::deque<KeyEvent> dropped;
    {
      const std::lock_guard lock(lane->mutex);
      lane->closed = true;
      lane->aborted = true;
      lane->waiting_keys.clear();
      dropped_notifications.swap(lane->notifications);
      dropped.swap(lane->in_order);
      lane->notification_count = 0;
      lane->walk_count = 0;
    }
    lane->not_empty.notify_all();
    lane->not_full.notify_all();
  }
}

std::size_t EventLanes::waiting() const {
  std::size_t total = 0;
  for (const auto& lane : lanes_) {
    const std::lock_guard lock(lane->mutex);
    total += lane->size();
  }
  return total;
}

}  // namespace riot::host
