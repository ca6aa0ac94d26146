// Batches and reads bounded in bytes as well as in count, so that large
// values cannot make memory grow with the data (see pipeline_spec.hpp).
#include <gtest/gtest.h>

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

TEST(ReadRounds, ProbesThenReadsWholeBatchesOfSmallValues) {
  ReadRounds rounds(2 << 20);
  EXPECT_EQ(rounds.next_round(200), ReadRounds::kFirstRoundKeys) << "sizes unknown: a probe";
  EXPECT_EQ(rounds.next_round(5), 5u);
  rounds.record(16, 16 * 100);
  EXPECT_EQ(rounds.next_round(184), 184u) << "100-byte values: the rest at once";
}

TEST(ReadRounds, LargeValuesMakeSmallRoundsAndAtLeastOneKey) {
  ReadRounds rounds(2 << 20);
  rounds.record(16, 16 << 20);  // 1 MiB per key
  EXPECT_EQ(rounds.next_round(200), 2u);
  rounds.record(2, 2 * (64 << 20));  // now far above the budget per key
  EXPECT_EQ(rounds.next_round(200), 1u);
  rounds.record(1, 0);
  rounds.record(1, 0);
  rounds.record(1, 0);
  rounds.record(1, 0);
  rounds.record(1, 0);
  rounds.record(1, 0);
  rounds.record(1, 0);
  EXPECT_GT(rounds.next_round(200), 1u) << "follows the keys read lately";
}

}  // namespace
}  // namespace riot::host
