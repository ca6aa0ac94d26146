// Batches and reads bounded in bytes as well as in count, so that large
// values cannot make memory grow with the data (see pipeline_spec.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "bounded_queue.hpp"
#include "read_rounds.hpp"
#include "runtime_batching.hpp"

namespace riot::host {
namespace {

Record record_of(std::size_t payload_bytes) {
  Record record;
  record.key = "k";
  record.payload.assign(payload_bytes, 'x');
  return record;
}

std::vector<std::size_t> drain_sizes(BoundedQueue<RecordBatch>& queue) {
  queue.close();
  std::vector<std::size_t> sizes;
  while (auto batch = queue.pop()) sizes.push_back(batch->size());
  return sizes;
}

TEST(BatchAssembler, EndsABatchAtItsByteLimit) {
  BoundedQueue<RecordBatch> queue(100);
  BatchAssembler<Record> assembler(queue, 10, 1000);
  RecordBatch records;
  for (int i = 0; i < 6; ++i) records.push_back(record_of(299));  // 300 bytes with the key
  ASSERT_TRUE(assembler.add(records));
  ASSERT_TRUE(assembler.flush());
  EXPECT_EQ(drain_sizes(queue), (std::vector<std::size_t>{4, 2})) << "1200 >= 1000 after 4";
}

TEST(BatchAssembler, SmallRecordsStillFillTheCount) {
  BoundedQueue<RecordBatch> queue(100);
  BatchAssembler<Record> assembler(queue, 10, 1000);
  RecordBatch records;
  for (int i = 0; i < 25; ++i) records.push_back(record_of(9));
  ASSERT_TRUE(assembler.add(records));
  ASSERT_TRUE(assembler.flush());
  EXPECT_EQ(drain_sizes(queue), (std::vector<std::size_t>{10, 10, 5}));
}

TEST(BatchAssembler, WeighsWhatItPushes) {
  BoundedQueue<RecordBatch> queue(100);
  BatchAssembler<Record> assembler(queue, 2, 0);
  RecordBatch records{record_of(99), record_of(9)};
  ASSERT_TRUE(assembler.add(records)) << "a whole batch handed over as it is";
  EXPECT_EQ(queue.bytes(), 100u + 10u);
}

// Plays a reader worker's loop over batches of keys whose values weigh
// `sizes` (in order), as runtime.cpp does: the rounds' key counts and bytes.
struct Played {
  std::vector<std::size_t> keys;
  std::vector<std::size_t> bytes;
  std::vector<std::size_t> largest;
};
Played play(ReadRounds& rounds, const std::vector<std::size_t>& sizes, std::size_t batch_size) {
  Played played;
  for (std::size_t batch = 0; batch < sizes.size(); batch += batch_size) {
    const std::size_t batch_end = std::min(sizes.size(), batch + batch_size);
    for (std::size_t done = batch; done < batch_end;) {
      const std::size_t count = rounds.next_round(batch_end - done);
      EXPECT_GE(count, 1u);
      std::size_t bytes = 0;
      std::size_t largest = 0;
      for (std::size_t i = done; i < done + count; ++i) {
        bytes += sizes[i];
        largest = std::max(largest, sizes[i]);
      }
      rounds.record(count, bytes, largest);
      played.keys.push_back(count);
      played.bytes.push_back(bytes);
      played.largest.push_back(largest);
      done += count;
    }
  }
  return played;
}

constexpr std::size_t kBudget = 2 << 20;

TEST(ReadRounds, TheFirstRoundReadsOneKey) {
  ReadRounds rounds(kBudget);
  EXPECT_EQ(rounds.next_round(200), 1u) << "sizes unknown: one key";
  EXPECT_EQ(rounds.next_round(1), 1u);
}

// The measured case: 64 values of 32 MiB in batches of 16. Every round reads
// one key, the first included (it used to read 16 at once).
TEST(ReadRounds, ValuesAboveTheBudgetAreReadOneAtATime) {
  ReadRounds rounds(kBudget);
  const Played played = play(rounds, std::vector<std::size_t>(64, 32 << 20), 16);
  EXPECT_EQ(played.keys, std::vector<std::size_t>(64, 1));
}

// Small values reach whole batches after a few rounds, once per worker:
// 1 + 4 + 16 + 64 keys, then the rest of the batch, then whole batches.
TEST(ReadRounds, SmallValuesSoonReadWholeBatches) {
  ReadRounds rounds(kBudget);
  const Played played = play(rounds, std::vector<std::size_t>(2000, 100), 200);
  EXPECT_EQ(played.keys.size(), 5u + 9u) << "5 rounds for the first batch, 1 per later batch";
  EXPECT_EQ(std::vector<std::size_t>(played.keys.begin(), played.keys.begin() + 5),
            (std::vector<std::size_t>{1, 4, 16, 64, 115}));
  for (std::size_t i = 5; i < played.keys.size(); ++i) EXPECT_EQ(played.keys[i], 200u) << i;
}

// Values of every size, in runs: a round exceeds the budget only when it is
// one key alone or meets values heavier than the rounds before it had shown
// (sizes are learnt, not known in advance); then the next round fits unless
// its values are heavier still.
TEST(ReadRounds, RoundsStayWithinTheBudgetExceptOneKeyAlone) {
  std::mt19937 random(5);
  const std::size_t kinds[] = {10, 1000, 100000, 1 << 20, 8 << 20, 64 << 20};
  std::size_t over_budget = 0;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<std::size_t> sizes;
    // Runs of values of one kind, as keyspaces tend to hold.
    while (sizes.size() < 3000) {
      const std::size_t size = kinds[random() % std::size(kinds)];
      sizes.insert(sizes.end(), 1 + random() % 300, size);
    }
    ReadRounds rounds(kBudget);
    const Played played = play(rounds, sizes, 200);
    for (std::size_t i = 0; i + 1 < played.keys.size(); ++i) {
      if (played.keys[i] == 1 || played.bytes[i] <= kBudget) continue;
      ++over_budget;
      if (played.largest[i + 1] > played.largest[i]) continue;
      EXPECT_TRUE(played.keys[i + 1] == 1 || played.bytes[i + 1] <= kBudget)
          << "trial " << trial << ", round " << i + 1 << ": " << played.keys[i + 1] << " keys, "
          << played.bytes[i + 1] << " bytes";
    }
    EXPECT_EQ(played.keys.front(), 1u);
  }
  EXPECT_LT(over_budget, 50u * 30u) << "rounds over budget are the exception";
}

TEST(ReadRounds, FollowsTheKeysReadLately) {
  ReadRounds rounds(kBudget);
  rounds.record(1, 64 << 20, 64 << 20);
  EXPECT_EQ(rounds.next_round(200), 1u);
  for (int i = 0; i < 12; ++i) rounds.record(1, 100, 100);
  EXPECT_GT(rounds.next_round(200), 1u) << "small values again: rounds grow back";
}

}  // namespace
}  // namespace riot::host
