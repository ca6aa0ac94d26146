#pragma once
// A datatype driven directly, one pipelined round at a time, as readers and
// comparators drive it: a whole read, a read in chunks (decode_chunk_read, as
// codec.struct does), and a chunk-by-chunk comparison of the source's chunks
// with a target (append_chunk_probe / decode_chunk_probe, as a comparator
// does).

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "riot/datatype.hpp"
#include "riot/record.hpp"
#include "riot/redis/client.hpp"
#include "support/redis_server.hpp"

namespace riot::test {

// A client of `server`, as readers and comparators hold one.
inline std::unique_ptr<redis::Client> client_of(const RedisServer& server) {
  redis::ClientOptions options;
  options.connection = server.client_options();
  return redis::Client::open(std::move(options));
}

// Reads `key` whole; the status decode_read said.
inline ReadStatus read_whole(const Datatype& datatype, redis::Client& client,
                             const std::string& key, Record& record) {
  redis::KeyedCommands commands;
  commands.track_slots(client.is_cluster());
  const std::size_t appended = datatype.append_read(key, commands);
  std::vector<redis::Reply> replies;
  client.pipeline(commands, replies);
  EXPECT_EQ(replies.size(), appended);
  record = Record{.key = key, .kind = RecordKind::value, .type = std::string(datatype.type_name())};
  return datatype.decode_read(replies, record);
}

// Reads `key` through `client` in chunks of about `chunk_bytes`, as the
// struct reader does, calling `between_chunks` after each chunk but the last.
inline std::vector<Record> read_chunks(const Datatype& datatype, redis::Client& client,
                                       const std::string& key, std::size_t chunk_bytes,
                                       const std::function<void()>& between_chunks = {}) {
  std::vector<Record> chunks;
  ChunkCursor cursor;
  while (!cursor.done) {
    redis::KeyedCommands commands;
    commands.track_slots(client.is_cluster());
    const std::size_t appended = datatype.append_chunk_read(key, cursor, chunk_bytes, commands);
    std::vector<redis::Reply> replies;
    client.pipeline(commands, replies);
    EXPECT_EQ(replies.size(), appended);
    Record record{.key = key, .kind = RecordKind::value, .type = std::string(datatype.type_name())};
    const ReadStatus status = datatype.decode_chunk_read(replies, cursor, chunk_bytes, record);
    EXPECT_EQ(status, ReadStatus::value);
    if (status != ReadStatus::value) break;
    record.chunk = {static_cast<std::uint32_t>(chunks.size()), cursor.done};
    chunks.push_back(std::move(record));
    if (chunks.size() > 100000) throw std::runtime_error("the chunked read does not end");
    if (!cursor.done && between_chunks) between_chunks();
  }
  return chunks;
}

// What a chunk-by-chunk comparison found, and at which chunk (the number of
// chunks when they all compared equal).
struct ChunkedComparison {
  ValueComparison comparison;
  std::size_t chunk = 0;
};

// Checks `chunks` (the source's, in order) one at a time against `key` on
// the target, a pipelined round per chunk, until a difference.
inline ChunkedComparison compare_chunks(const Datatype& datatype, redis::Client& target,
                                        const std::string& key, const std::vector<Record>& chunks) {
  ChunkProbe probe;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    redis::KeyedCommands commands;
    commands.track_slots(target.is_cluster());
    const std::size_t appended = datatype.append_chunk_probe(chunks[i], probe, key, commands);
    std::vector<redis::Reply> replies;
    target.pipeline(commands, replies);
    EXPECT_EQ(replies.size(), appended);
    ValueComparison comparison = datatype.decode_chunk_probe(replies, chunks[i], probe);
    if (!comparison.equal) return {std::move(comparison), i};
  }
  return {ValueComparison::same(), chunks.size()};
}

}  // namespace riot::test
