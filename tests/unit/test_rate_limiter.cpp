// The shared rate limit, on a clock of the test's own: reservations follow
// one another at the rate whatever the callers, no credit builds up while
// idle, bytes read delay the next round, and no limit never waits.
#include <gtest/gtest.h>

#include <chrono>

#include "rate_limiter.hpp"

namespace riot::host {
namespace {

using namespace std::chrono_literals;
using Clock = RateSchedule::Clock;

const Clock::time_point kStart = Clock::time_point() + 1000s;

TEST(RateSchedule, SpacesReservationsByTheirSizeOverTheRate) {
  RateSchedule schedule(100);                       // 100 per second: 10 ms each
  EXPECT_EQ(schedule.reserve(kStart, 50), kStart);  // the first goes at once
  EXPECT_EQ(schedule.reserve(kStart, 50), kStart + 500ms);
  EXPECT_EQ(schedule.reserve(kStart + 100ms, 1), kStart + 1000ms);
  EXPECT_EQ(schedule.next_free(kStart), kStart + 1010ms);
}

TEST(RateSchedule, BuildsNoCreditWhileIdle) {
  RateSchedule schedule(10);
  schedule.reserve(kStart, 10);
  // A minute later the schedule starts from now: no burst of a minute's worth.
  const Clock::time_point later = kStart + 60s;
  EXPECT_EQ(schedule.reserve(later, 10), later);
  EXPECT_EQ(schedule.reserve(later, 10), later + 1s);
}

TEST(RateSchedule, NoLimitNeverWaits) {
  RateSchedule schedule(0);
  EXPECT_FALSE(schedule.limited());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(schedule.reserve(kStart, 1000000), kStart);
}

TEST(RateLimiter, HoldsTheRateAcrossManyReaders) {
  RateLimiter limiter(1000, 0);  // 1000 keys per second
  // Eight readers asking for 200 keys each, all at the same instant: the
  // last may start only once the 1400 keys before it had their time.
  Clock::time_point last{};
  for (int reader = 0; reader < 8; ++reader) last = limiter.reserve_keys(kStart, 200);
  EXPECT_EQ(last, kStart + 1400ms);
}

TEST(RateLimiter, BytesReadDelayTheNextRound) {
  RateLimiter limiter(0, 1024 * 1024);  // 1 MiB per second, keys unlimited
  EXPECT_EQ(limiter.reserve_keys(kStart, 100), kStart);
  limiter.charge_bytes(kStart + 10ms, 2 * 1024 * 1024);  // the round read 2 MiB
  EXPECT_EQ(limiter.reserve_keys(kStart + 20ms, 100), kStart + 2010ms);
}

TEST(RateLimiter, BothLimitsHoldTogether) {
  RateLimiter limiter(100, 1000);
  EXPECT_EQ(limiter.reserve_keys(kStart, 10), kStart);  // keys: next at +100 ms
  limiter.charge_bytes(kStart, 500);                    // bytes: next at +500 ms
  // The later of the two: bytes.
  EXPECT_EQ(limiter.reserve_keys(kStart, 10), kStart + 500ms);
}

TEST(RateLimiter, WaitingStopsWhenAskedTo) {
  RateLimiter limiter(1, 0);                                       // one key per second
  EXPECT_TRUE(limiter.wait_for_keys(1000, [] { return false; }));  // the first goes at once
  // The next would wait 1000 s: a stop ends the wait.
  EXPECT_FALSE(limiter.wait_for_keys(1, [] { return true; }));
}

TEST(RateLimiter, WithoutLimitsNeverWaits) {
  RateLimiter limiter(0, 0);
  EXPECT_FALSE(limiter.limited());
  EXPECT_TRUE(limiter.wait_for_keys(1000000, [] { return false; }));
  EXPECT_EQ(limiter.seconds_waited(), 0.0);
}

}  // namespace
}  // namespace riot::host
