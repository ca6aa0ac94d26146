// Reply parsing: the replies a server pipelines back for a batch of 200
// keys (DUMP bulk strings of 100 bytes and PTTL integers; RESTORE's +OK) and
// one SCAN reply of 1000 keys, each through
//   riot          riot's ReplyStream as a Connection uses it (64 KiB reads,
//                 4 KiB slices fed to the ReplyReader), Replies moved into a
//                 vector as pipeline_exchange does
//   riot-reader   riot's ReplyReader fed the way hiredis feeds its own
//                 reader (16 KiB reads, whole), for a like-for-like
//                 comparison of the reply objects
//   hiredis       hiredis's redisReader with its default reply objects,
//                 16 KiB reads fed whole (redisBufferRead's way), replies
//                 freed with freeReplyObject
// The bytes come from an in-memory transport, so a read is a memcpy: the
// figures are the parser's, without system calls. Counters: time per item (a
// reply; for SCAN, a key of its array) and bytes per second of RESP parsed.

#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "redis/reply_stream.hpp"
#include "redis/transport.hpp"
#include "riot/redis/reply.hpp"
#include "riot/redis/reply_reader.hpp"
#include "workload.hpp"

namespace riot::micro {
namespace {

constexpr std::size_t kHiredisReadSize = 16 * 1024;  // redisBufferRead's buffer

// Serves a recorded stream of replies, again from its start after rewind().
class ReplayTransport final : public redis::Transport {
 public:
  explicit ReplayTransport(std::string bytes) : bytes_(std::move(bytes)) {}

  void rewind() noexcept { position_ = 0; }

  std::size_t write_some(std::span<const std::string_view> pieces) override {
    std::size_t total = 0;
    for (const std::string_view piece : pieces) total += piece.size();
    return total;
  }
  std::size_t read_some(std::span<char> buffer) override {
    const std::size_t count = std::min(buffer.size(), bytes_.size() - position_);
    std::memcpy(buffer.data(), bytes_.data() + position_, count);
    position_ += count;
    return count;
  }
  bool wait(bool, redis::detail::Deadline) override { return true; }
  int socket() const noexcept override { return -1; }  // never polled
  short poll_events(bool) const noexcept override { return 0; }

  std::size_t size() const noexcept { return bytes_.size(); }

 private:
  std::string bytes_;
  std::size_t position_ = 0;
};

struct ReplyFree {
  void operator()(redisReply* reply) const noexcept { ::freeReplyObject(reply); }
};
struct ReaderFree {
  void operator()(redisReader* reader) const noexcept { ::redisReaderFree(reader); }
};

void set_counters(benchmark::State& state, std::size_t items_per_iteration,
                  std::size_t bytes_per_iteration) {
  const auto items = static_cast<double>(items_per_iteration);
  state.counters["per_item"] = benchmark::Counter(
      items, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["items/s"] =
      benchmark::Counter(items, benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes_per_iteration));
}

void parse_riot_stream(benchmark::State& state, const std::string& stream, std::size_t replies,
                       std::size_t items) {
  ReplayTransport transport(stream);
  redis::detail::ReplyStream reader("bench");
  std::vector<redis::Reply> received;
  redis::Reply reply;
  for (auto _ : state) {
    transport.rewind();
    received.clear();
    while (received.size() < replies) {
      while (received.size() < replies && reader.next(reply)) received.push_back(std::move(reply));
      if (received.size() < replies && !reader.receive(transport))
        throw std::logic_error("the stream ended before its last reply");
    }
    benchmark::DoNotOptimize(received.data());
  }
  set_counters(state, items, stream.size());
}

void parse_riot_reader(benchmark::State& state, const std::string& stream, std::size_t replies,
                       std::size_t items) {
  ReplayTransport transport(stream);
  redis::ReplyReader reader("bench");
  std::vector<char> chunk(kHiredisReadSize);
  std::vector<redis::Reply> received;
  redis::Reply reply;
  for (auto _ : state) {
    transport.rewind();
    received.clear();
    while (received.size() < replies) {
      while (received.size() < replies && reader.next(reply)) received.push_back(std::move(reply));
      if (received.size() == replies) break;
      const std::size_t count = transport.read_some(chunk);
      if (count == 0) throw std::logic_error("the stream ended before its last reply");
      reader.feed({chunk.data(), count});
    }
    benchmark::DoNotOptimize(received.data());
  }
  set_counters(state, items, stream.size());
}

void parse_hiredis(benchmark::State& state, const std::string& stream, std::size_t replies,
                   std::size_t items) {
  ReplayTransport transport(stream);
  const std::unique_ptr<redisReader, ReaderFree> reader(::redisReaderCreate());
  std::vector<char> chunk(kHiredisReadSize);
  std::vector<std::unique_ptr<redisReply, ReplyFree>> received;
  received.reserve(replies);
  for (auto _ : state) {
    transport.rewind();
    received.clear();
    while (received.size() < replies) {
      void* reply = nullptr;
      if (::redisReaderGetReply(reader.get(), &reply) != REDIS_OK)
        throw std::logic_error("hiredis failed to parse the stream");
      if (reply != nullptr) {
        received.emplace_back(static_cast<redisReply*>(reply));
        continue;
      }
      const std::size_t count = transport.read_some(chunk);
      if (count == 0) throw std::logic_error("the stream ended before its last reply");
      if (::redisReaderFeed(reader.get(), chunk.data(), count) != REDIS_OK)
        throw std::logic_error("hiredis refused the bytes");
    }
    benchmark::DoNotOptimize(received.data());
  }
  set_counters(state, items, stream.size());
}

}  // namespace

void register_parse_benchmarks() {
  constexpr std::size_t kBatch = 200;
  constexpr std::size_t kScanKeys = 1000;
  struct Shape {
    const char* name;
    const char* size;
    std::string stream;
    std::size_t replies;
    std::size_t items;
  };
  const std::vector<Shape> shapes{
      {"parse/dump-100B+pttl", "keys:200", dump_pttl_replies(kBatch, 100), 2 * kBatch, 2 * kBatch},
      {"parse/restore-ok", "keys:200", restore_replies(kBatch), kBatch, kBatch},
      {"parse/scan", "keys:1000", scan_reply(kScanKeys), 1, kScanKeys},
  };
  for (const Shape& shape : shapes) {
    const auto add = [&shape](const char* parser, auto parse) {
      benchmark::RegisterBenchmark(
          (std::string(shape.name) + "/" + parser + "/" + shape.size).c_str(),
          [stream = shape.stream, replies = shape.replies, items = shape.items,
           parse](benchmark::State& state) { parse(state, stream, replies, items); });
    };
    add("riot", parse_riot_stream);
    add("riot-reader", parse_riot_reader);
    add("hiredis", parse_hiredis);
  }
}

}  // namespace riot::micro
