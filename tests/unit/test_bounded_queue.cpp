// The queue between pipeline stages: bounded (a full queue blocks the
// producer), FIFO, drained after close(), emptied at once by abort(), and
// never leaves a thread blocked once closed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <numeric>
#include <thread>
#include <vector>

#include "bounded_queue.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;

// Long enough for a thread that should block to have blocked.
constexpr auto kSettle = 50ms;

TEST(BoundedQueue, DeliversInOrder) {
  BoundedQueue<int> queue(4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(queue.push(int{i}));
  EXPECT_EQ(queue.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(queue.pop(), i);
}

TEST(BoundedQueue, MovesItemsWithoutCopying) {
  BoundedQueue<std::unique_ptr<int>> queue(1);
  ASSERT_TRUE(queue.push(std::make_unique<int>(7)));
  auto item = queue.pop();
  ASSERT_TRUE(item && *item);
  EXPECT_EQ(**item, 7);
}

TEST(BoundedQueue, ZeroCapacityStillHoldsOneItem) {
  BoundedQueue<int> queue(0);
  EXPECT_EQ(queue.capacity(), 1u);
  EXPECT_TRUE(queue.push(1));
}

TEST(BoundedQueue, PushBlocksWhileFullUntilAPop) {
  BoundedQueue<int> queue(2);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  auto pushed = std::async(std::launch::async, [&] { return queue.push(3); });
  EXPECT_EQ(pushed.wait_for(kSettle), std::future_status::timeout) << "a full queue must block";
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_TRUE(pushed.get());
  EXPECT_EQ(queue.size(), 2u);
}

TEST(BoundedQueue, ByteLimitBlocksUntilEnoughIsPopped) {
  BoundedQueue<int> queue(100, 1000);
  ASSERT_TRUE(queue.push(1, 600));
  ASSERT_TRUE(queue.push(2, 600)) << "room is judged before the push: 600 < 1000";
  EXPECT_EQ(queue.bytes(), 1200u);
  auto blocked = std::async(std::launch::async, [&] { return queue.push(3, 10); });
  EXPECT_EQ(blocked.wait_for(kSettle), std::future_status::timeout) << "1200 bytes >= 1000";
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_TRUE(blocked.get()) << "600 bytes left: room again";
  EXPECT_EQ(queue.bytes(), 610u);
}

TEST(BoundedQueue, AnItemHeavierThanTheLimitGetsInAlone) {
  BoundedQueue<int> queue(100, 1000);
  ASSERT_TRUE(queue.push(1, 5000)) << "an empty queue admits anything: no deadlock";
  auto blocked = std::async(std::launch::async, [&] { return queue.push(2, 1); });
  EXPECT_EQ(blocked.wait_for(kSettle), std::future_status::timeout);
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_TRUE(blocked.get());
  EXPECT_EQ(queue.bytes(), 1u);
}

TEST(BoundedQueue, PopBlocksWhileEmptyUntilAPush) {
  BoundedQueue<int> queue(2);
  auto popped = std::async(std::launch::async, [&] { return queue.pop(); });
  EXPECT_EQ(popped.wait_for(kSettle), std::future_status::timeout);
  ASSERT_TRUE(queue.push(5));
  EXPECT_EQ(popped.get(), 5);
}

TEST(BoundedQueue, CloseLetsConsumersDrainThenEnds) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  queue.close();
  int refused = 3;
  EXPECT_FALSE(queue.push(std::move(refused)));
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_EQ(queue.pop(), std::nullopt);
  EXPECT_EQ(queue.pop(), std::nullopt) << "stays ended";
}

TEST(BoundedQueue, RefusedPushLeavesTheItemIntact) {
  BoundedQueue<std::vector<int>> queue(1);
  queue.close();
  std::vector<int> batch{1, 2, 3};
  EXPECT_FALSE(queue.push(std::move(batch)));
  EXPECT_EQ(batch.size(), 3u) << "the caller keeps what the queue refused";
}

TEST(BoundedQueue, CloseWakesBlockedConsumers) {
  BoundedQueue<int> queue(2);
  auto popped = std::async(std::launch::async, [&] { return queue.pop(); });
  EXPECT_EQ(popped.wait_for(kSettle), std::future_status::timeout);
  queue.close();
  EXPECT_EQ(popped.get(), std::nullopt);
}

TEST(BoundedQueue, CloseWakesBlockedProducers) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.push(1));
  auto pushed = std::async(std::launch::async, [&] { return queue.push(2); });
  EXPECT_EQ(pushed.wait_for(kSettle), std::future_status::timeout);
  queue.close();
  EXPECT_FALSE(pushed.get());
}

TEST(BoundedQueue, AbortDropsWhatIsQueued) {
  BoundedQueue<int> queue(4);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  queue.abort();
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.pop(), std::nullopt) << "nothing more is handed out after an abort";
  EXPECT_FALSE(queue.push(3));
}

TEST(BoundedQueue, AbortWakesEveryone) {
  BoundedQueue<int> full(1);
  ASSERT_TRUE(full.push(1));
  BoundedQueue<int> empty(1);
  auto pushed = std::async(std::launch::async, [&] { return full.push(2); });
  auto popped = std::async(std::launch::async, [&] { return empty.pop(); });
  std::this_thread::sleep_for(kSettle);
  full.abort();
  empty.abort();
  EXPECT_FALSE(pushed.get());
  EXPECT_EQ(popped.get(), std::nullopt);
}

// Several producers and consumers: every item arrives exactly once, and the
// queue never holds more than its capacity.
TEST(BoundedQueue, ManyProducersAndConsumersLoseNothing) {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 3;
  constexpr int kItemsEach = 5000;
  constexpr std::size_t kCapacity = 8;
  BoundedQueue<int> queue(kCapacity);
  std::atomic<std::size_t> largest_size{0};

  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kItemsEach; ++i) ASSERT_TRUE(queue.push(p * kItemsEach + i));
    });
  }
  std::vector<std::future<std::vector<int>>> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.push_back(std::async(std::launch::async, [&] {
      std::vector<int> received;
      while (auto item = queue.pop()) {
        received.push_back(*item);
        std::size_t seen = queue.size();
        std::size_t largest = largest_size.load();
        while (seen > largest && !largest_size.compare_exchange_weak(largest, seen)) {
        }
      }
      return received;
    }));
  }
  for (auto& producer : producers) producer.join();
  queue.close();

  std::vector<int> all;
  for (auto& consumer : consumers) {
    auto received = consumer.get();
    all.insert(all.end(), received.begin(), received.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kProducers * kItemsEach);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
  EXPECT_LE(largest_size.load(), kCapacity);
}

}  // namespace
}  // namespace riot::host
