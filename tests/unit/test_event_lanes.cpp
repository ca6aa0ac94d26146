// The keyed lanes between sources and readers (live replication): one lane
// per key, coalescing of events waiting unread, separate room for
// notifications (never waiting) and walks (backpressure), priority order.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "event_lanes.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;

KeyEvent event(std::string key, KeyOrigin origin,
               Expiry::Clock::time_point observed_at = Expiry::Clock::time_point{}) {
  KeyEvent event;
  event.key = std::move(key);
  event.origin = origin;
  event.observed_at = observed_at;
  return event;
}

KeyBatch batch_of(std::initializer_list<std::string> keys, KeyOrigin origin) {
  KeyBatch batch;
  for (const std::string& key : keys) batch.push_back(event(key, origin));
  return batch;
}

EventLaneSettings settings(std::size_t lanes, std::size_t walk_capacity = 100,
                           std::size_t event_capacity = 100, EventOrder order = EventOrder::fifo) {
  EventLaneSettings settings;
  settings.lanes = lanes;
  settings.batch_size = 1000;
  settings.walk_capacity = walk_capacity;
  settings.event_capacity = event_capacity;
  settings.order = order;
  return settings;
}

std::vector<std::string> keys_of(const KeyBatch& batch) {
  std::vector<std::string> keys;
  for (const KeyEvent& event : batch) keys.push_back(event.key);
  return keys;
}

TEST(EventLanes, EveryEventOfAKeyGoesToTheSameLane) {
  EventLanes lanes(settings(4, 1000));
  KeyBatch batch;
  for (int i = 0; i < 200; ++i) batch.push_back(event("key:" + std::to_string(i), KeyOrigin::scan));
  ASSERT_TRUE(lanes.push(batch));
  lanes.close();
  std::size_t taken_in_all = 0;
  std::set<std::size_t> lanes_used;
  for (std::size_t lane = 0; lane < 4; ++lane) {
    KeyBatch out;
    while (lanes.pop(lane, out)) {
      for (const KeyEvent& taken : out) EXPECT_EQ(lane_of(taken.key, 4), lane) << taken.key;
      taken_in_all += out.size();
      if (!out.empty()) lanes_used.insert(lane);
      out.clear();
    }
  }
  EXPECT_EQ(taken_in_all, 200u);
  EXPECT_EQ(lanes_used.size(), 4u) << "200 keys spread over every lane";
}

TEST(EventLanes, AnEventForAKeyWaitingUnreadIsMergedIntoIt) {
  EventLanes lanes(settings(1));
  const auto early = Expiry::Clock::now();
  const auto late = early + 5ms;
  KeyBatch first;
  first.push_back(event("a", KeyOrigin::notification, late));
  first.push_back(event("b", KeyOrigin::notification, late));
  const auto admitted = lanes.push(first);
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->queued, 2u);

  KeyBatch second;
  second.push_back(event("a", KeyOrigin::notification, early));
  second.push_back(event("a", KeyOrigin::notification, late));
  second.push_back(event("c", KeyOrigin::scan));
  const auto merged = lanes.push(second);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->queued, 1u);
  EXPECT_EQ(merged->coalesced, 2u);
  EXPECT_EQ(merged->coalesced_notifications, 2u);
  EXPECT_EQ(lanes.waiting(), 3u);

  KeyBatch out;
  ASSERT_TRUE(lanes.pop(0, out));
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{"a", "b", "c"}));
  // Lag counts from the first change the read stands for.
  EXPECT_EQ(out[0].observed_at, early);
}

TEST(EventLanes, ANotificationForAKeyAWalkWaitsForTurnsTheWalksReadIntoItsOwn) {
  // A walk of a full lane waits for room: the notification merged into a
  // waiting walk event frees it.
  EventLanes lanes(settings(1, 1));
  const auto notified_at = Expiry::Clock::now();
  KeyBatch walk = batch_of({"a"}, KeyOrigin::scan);
  ASSERT_TRUE(lanes.push(walk));

  KeyBatch change;
  change.push_back(event("a", KeyOrigin::notification, notified_at));
  change.back().event = KeyEventType::del;
  const auto merged = lanes.push(change);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->coalesced, 1u);
  // Applied through the walk's read, so not counted as coalesced.
  EXPECT_EQ(merged->coalesced_notifications, 0u);

  KeyBatch next_walk = batch_of({"b"}, KeyOrigin::scan);
  ASSERT_TRUE(lanes.push(next_walk)) << "room for one walk event again";
  KeyBatch out;
  ASSERT_TRUE(lanes.pop(0, out));
  ASSERT_EQ(keys_of(out), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out[0].origin, KeyOrigin::notification);
  EXPECT_EQ(out[0].event, KeyEventType::del);
  EXPECT_EQ(out[0].observed_at, notified_at) << "lag counts from the notification";
  EXPECT_EQ(out[1].origin, KeyOrigin::scan);
}

TEST(EventLanes, AKeyTakenByItsReaderIsQueuedAgainByANewEvent) {
  EventLanes lanes(settings(1));
  KeyBatch batch = batch_of({"a"}, KeyOrigin::notification);
  ASSERT_TRUE(lanes.push(batch));
  KeyBatch in_flight;
  ASSERT_TRUE(lanes.pop(0, in_flight));

  // The read of "a" is on its way; a change now needs a read after it.
  batch = batch_of({"a"}, KeyOrigin::notification);
  const auto admitted = lanes.push(batch);
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->queued, 1u);
  EXPECT_EQ(admitted->coalesced, 0u);
  KeyBatch next;
  ASSERT_TRUE(lanes.pop(0, next));
  EXPECT_EQ(keys_of(next), std::vector<std::string>{"a"});
}

TEST(EventLanes, BinaryKeysAreOrdinaryKeys) {
  EventLanes lanes(settings(1));
  const std::string nul_key("a\0b", 3);
  const std::string other_nul_key("a\0c", 3);
  KeyBatch batch;
  batch.push_back(event(nul_key, KeyOrigin::notification));
  batch.push_back(event(other_nul_key, KeyOrigin::notification));
  batch.push_back(event(nul_key, KeyOrigin::notification));
  const auto admitted = lanes.push(batch);
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->queued, 2u);
  EXPECT_EQ(admitted->coalesced, 1u);
}

TEST(EventLanes, NotificationsWithoutRoomOverflowInsteadOfWaiting) {
  EventLanes lanes(settings(1, 100, 3));
  KeyBatch batch = batch_of({"a", "b", "c", "d", "e"}, KeyOrigin::notification);
  const auto admitted = lanes.push(batch);  // must not block
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->queued, 3u);
  EXPECT_EQ(admitted->overflowed, 2u);
  // Room of walks is their own: a scan still gets in.
  KeyBatch scan = batch_of({"x"}, KeyOrigin::scan);
  const auto walked = lanes.push(scan);
  ASSERT_TRUE(walked);
  EXPECT_EQ(walked->queued, 1u);
}

TEST(EventLanes, AWalkWaitsForRoomUntilTheReaderTakesSome) {
  EventLanes lanes(settings(1, 2));
  std::thread walker([&] {
    KeyBatch batch = batch_of({"a", "b", "c", "d"}, KeyOrigin::scan);
    const auto admitted = lanes.push(batch);
    EXPECT_TRUE(admitted);
    if (admitted) {
      EXPECT_EQ(admitted->queued, 4u);
    }
  });
  std::set<std::string> seen;
  while (seen.size() < 4) {
    KeyBatch out;
    ASSERT_TRUE(lanes.pop(0, out));
    EXPECT_LE(out.size(), 2u) << "never more waiting than the capacity";
    for (const KeyEvent& taken : out) seen.insert(taken.key);
  }
  walker.join();
}

TEST(EventLanes, PriorityOrderTakesNotificationsBeforeWalks) {
  EventLanes lanes(settings(1, 100, 100, EventOrder::priority));
  KeyBatch scan = batch_of({"s1", "s2"}, KeyOrigin::scan);
  ASSERT_TRUE(lanes.push(scan));
  KeyBatch changes = batch_of({"n1", "n2"}, KeyOrigin::notification);
  ASSERT_TRUE(lanes.push(changes));
  KeyBatch out;
  ASSERT_TRUE(lanes.pop(0, out));
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{"n1", "n2", "s1", "s2"}));
}

TEST(EventLanes, FifoOrderKeepsArrivalOrder) {
  EventLanes lanes(settings(1));
  KeyBatch scan = batch_of({"s1", "s2"}, KeyOrigin::scan);
  ASSERT_TRUE(lanes.push(scan));
  KeyBatch changes = batch_of({"n1"}, KeyOrigin::notification);
  ASSERT_TRUE(lanes.push(changes));
  KeyBatch out;
  ASSERT_TRUE(lanes.pop(0, out));
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{"s1", "s2", "n1"}));
}

TEST(EventLanes, AReaderTakesWhatWaitsWithoutWaitingToFillABatch) {
  EventLanes lanes(settings(1));
  KeyBatch batch = batch_of({"a"}, KeyOrigin::notification);
  ASSERT_TRUE(lanes.push(batch));
  KeyBatch out;
  ASSERT_TRUE(lanes.pop(0, out));  // batch size 1000, one waiting: returns with it
  EXPECT_EQ(out.size(), 1u);
}

TEST(EventLanes, CloseDrainsAndAbortDrops) {
  EventLanes closing(settings(2));
  KeyBatch batch = batch_of({"a", "b", "c"}, KeyOrigin::scan);
  ASSERT_TRUE(closing.push(batch));
  closing.close();
  std::size_t drained = 0;
  for (std::size_t lane = 0; lane < 2; ++lane) {
    KeyBatch out;
    while (closing.pop(lane, out)) {
      drained += out.size();
      out.clear();
    }
  }
  EXPECT_EQ(drained, 3u);
  KeyBatch late = batch_of({"d"}, KeyOrigin::scan);
  EXPECT_FALSE(closing.push(late));

  EventLanes aborted(settings(1, 1));
  std::thread blocked([&] {
    KeyBatch two = batch_of({"a", "b"}, KeyOrigin::scan);  // the second waits for room
    EXPECT_FALSE(aborted.push(two));
  });
  while (aborted.waiting() == 0) std::this_thread::yield();
  aborted.abort();
  blocked.join();
  KeyBatch out;
  EXPECT_FALSE(aborted.pop(0, out));
}

}  // namespace
}  // namespace riot::host
