// Command encoding, per key of a snapshot: DUMP + PTTL (the reader) and
// RESTORE key ttl payload REPLACE ABSTTL (the sink), one key or a batch of
// 200 at a time into one reused buffer, as the plugins do. Each shape runs
// through
//   riot          riot::redis::CommandBuffer (the hand-written encoder)
//   riot-keyed    riot::redis::KeyedCommands, what the dump reader and the
//                 restore sink call, for a single server (no slots)
//   riot-keyed-cluster  the same for a cluster: plus the key's slot (CRC16)
//   legacy        CommandBuffer as it was: redisFormatCommandArgv, copied in
//   hiredis       redisFormatCommandArgv alone (formatted, then freed)
// Counters: time per command, commands and bytes (of RESP produced) per second.

#include <benchmark/benchmark.h>

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/keyed_commands.hpp"
#include "workload.hpp"

namespace riot::micro {
namespace {

constexpr std::int64_t kExpireAt = 1735689600000;  // RESTORE ... ABSTTL takes an absolute expiry

// Each encoder takes the key beside the command, for KeyedCommands.
struct RiotEncoder {
  redis::CommandBuffer buffer;
  void clear() { buffer.clear(); }
  void append(std::string_view, std::initializer_list<std::string_view> args) {
    buffer.append(args);
  }
  std::size_t bytes() const { return buffer.bytes().size(); }
  const void* data() const { return buffer.bytes().data(); }
};

template <bool kCluster>
struct KeyedEncoder {
  KeyedEncoder() { commands.track_slots(kCluster); }
  redis::KeyedCommands commands;
  void clear() { commands.clear(); }
  void append(std::string_view key, std::initializer_list<std::string_view> args) {
    commands.append(key, args);
  }
  std::size_t bytes() const { return commands.commands().bytes().size(); }
  const void* data() const { return commands.commands().bytes().data(); }
};

struct LegacyEncoder {
  LegacyCommandBuffer buffer;
  void clear() { buffer.clear(); }
  void append(std::string_view, std::initializer_list<std::string_view> args) {
    buffer.append(std::span<const std::string_view>(args.begin(), args.size()));
  }
  std::size_t bytes() const { return buffer.bytes().size(); }
  const void* data() const { return buffer.bytes().data(); }
};

struct HiredisEncoder {
  std::size_t total = 0;
  void clear() { total = 0; }
  void append(std::string_view, std::initializer_list<std::string_view> args) {
    total += hiredis_format(std::span<const std::string_view>(args.begin(), args.size()));
  }
  std::size_t bytes() const { return total; }
  const void* data() const { return &total; }
};

void set_counters(benchmark::State& state, std::size_t commands_per_iteration,
                  std::size_t bytes_per_iteration) {
  const auto commands = static_cast<double>(commands_per_iteration);
  state.counters["per_command"] = benchmark::Counter(
      commands, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["commands/s"] =
      benchmark::Counter(commands, benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes_per_iteration));
}

// state.range(0) keys per batch.
template <typename Encoder>
void encode_dump_pttl(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> keys = make_keys(batch);
  Encoder encoder;
  for (auto _ : state) {
    encoder.clear();
    for (const std::string& key : keys) {
      encoder.append(key, {"DUMP", key});
      encoder.append(key, {"PTTL", key});
    }
    benchmark::DoNotOptimize(encoder.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, 2 * batch, encoder.bytes());
}

// state.range(0) keys per batch, state.range(1) bytes of payload.
template <typename Encoder>
void encode_restore(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> keys = make_keys(batch);
  const std::string payload = make_payload(static_cast<std::size_t>(state.range(1)), 1);
  char ttl_text[24];
  Encoder encoder;
  for (auto _ : state) {
    encoder.clear();
    for (std::size_t i = 0; i < batch; ++i) {
      // The TTL is formatted per key, as the sink does.
      const char* end = std::to_chars(ttl_text, ttl_text + sizeof ttl_text,
                                      kExpireAt + static_cast<std::int64_t>(i))
                            .ptr;
      const std::string_view ttl(ttl_text, static_cast<std::size_t>(end - ttl_text));
      encoder.append(keys[i], {"RESTORE", keys[i], ttl, payload, "REPLACE", "ABSTTL"});
    }
    benchmark::DoNotOptimize(encoder.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, batch, encoder.bytes());
}

}  // namespace

// Side by side: each shape through every encoder, in a row.
void register_encode_benchmarks() {
  const auto shape = [](const std::string& name, auto benchmark_for,
                        const std::vector<std::string>& arg_names,
                        const std::vector<std::int64_t>& args) {
    const auto add = [&](const char* encoder, benchmark::internal::Function* function) {
      benchmark::RegisterBenchmark((name + "/" + encoder).c_str(), function)
          ->ArgNames(arg_names)
          ->Args(args);
    };
    add("riot", benchmark_for(std::type_identity<RiotEncoder>{}));
    add("riot-keyed", benchmark_for(std::type_identity<KeyedEncoder<false>>{}));
    add("riot-keyed-cluster", benchmark_for(std::type_identity<KeyedEncoder<true>>{}));
    add("legacy", benchmark_for(std::type_identity<LegacyEncoder>{}));
    add("hiredis", benchmark_for(std::type_identity<HiredisEncoder>{}));
  };
  const auto dump_pttl = []<typename Encoder>(std::type_identity<Encoder>) {
    return &encode_dump_pttl<Encoder>;
  };
  const auto restore = []<typename Encoder>(std::type_identity<Encoder>) {
    return &encode_restore<Encoder>;
  };
  for (const std::int64_t batch : {1, 200}) {
    shape("encode/dump+pttl", dump_pttl, {"keys"}, {batch});
    for (const std::int64_t payload : {100, 10240})
      shape("encode/restore", restore, {"keys", "payload"}, {batch, payload});
  }
}

}  // namespace riot::micro
