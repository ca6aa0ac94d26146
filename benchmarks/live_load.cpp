// The live benchmark's load generator: writes to a Redis database at a fixed
// rate, every write embedding its send time (live_stamp.hpp), for
// live_observe to measure on the target how long each value took to arrive.
//
//   riot-bench-live-load URI --rate N [--seconds S] [--keys K] [--min-size B]
//                        [--max-size B] [--seed S] [--end-key KEY]
//
// Key i holds type i % 6 (string, hash, list, set, zset, stream); each write
// picks a key at random and writes one value whose padding is drawn
// log-uniform between --min-size (16 B) and --max-size (4096 B):
//   string SET key "<stamp>|pad"           hash   HSET key stamp <stamp> f<n> pad
//   list   LPUSH + LTRIM to 32 elements     set    SADD "<stamp>|pad", SREM of the 8th before
//   zset   ZADD <µs> "<stamp>|pad" + trim   stream XADD MAXLEN ~ 32 * stamp <stamp> pad pad
// Writes go in pipelined batches, one per millisecond, each with every write
// due by then (the schedule is fixed: a slow round trip makes the next batch
// bigger, never the load lighter). When the time is up, SET --end-key
// <stamp> (default bench:end) tells the observer the load is over.
//
// Prints one line: writes=W seconds=S rate=R behind_ms=B (rate: the rate
// achieved; behind_ms: how far the last batch was behind its schedule, which
// grows when the source cannot take the rate).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "live_stamp.hpp"
#include "riot/redis/connection.hpp"

namespace {

using riot::bench::LiveType;

struct LoadOptions {
  std::string uri;
  double rate = 1000;
  double seconds = 10;
  std::uint64_t keys = 10000;
  std::size_t min_size = 16;
  std::size_t max_size = 4096;
  std::uint64_t seed = 1;
  std::string end_key = "bench:end";
};

constexpr std::string_view kUsage =
    "usage: riot-bench-live-load URI --rate N [--seconds S] [--keys K] [--min-size B] "
    "[--max-size B] [--seed S] [--end-key KEY]\n";
constexpr std::size_t kCollectionLength = 32;  // lists, zsets and streams keep this many
constexpr std::size_t kSetStamps = 8;          // stamped members a set keeps

template <typename Number>
Number parse_number(std::string_view option, std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size())
    throw std::invalid_argument(std::string(option) + ": not a number: " + std::string(text));
  return value;
}

LoadOptions parse_options(int argc, char** argv) {
  LoadOptions options;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (!arg.starts_with("--")) {
      options.uri = arg;
      continue;
    }
    if (i + 1 == args.size()) throw std::invalid_argument(std::string(arg) + " needs a value");
    const std::string_view value = args[++i];
    if (arg == "--rate")
      options.rate = parse_number<double>(arg, value);
    else if (arg == "--seconds")
      options.seconds = parse_number<double>(arg, value);
    else if (arg == "--keys")
      options.keys = parse_number<std::uint64_t>(arg, value);
    else if (arg == "--min-size")
      options.min_size = parse_number<std::size_t>(arg, value);
    else if (arg == "--max-size")
      options.max_size = parse_number<std::size_t>(arg, value);
    else if (arg == "--seed")
      options.seed = parse_number<std::uint64_t>(arg, value);
    else if (arg == "--end-key")
      options.end_key = value;
    else
      throw std::invalid_argument("unknown option " + std::string(arg));
  }
  if (options.uri.empty()) throw std::invalid_argument("URI missing");
  if (options.rate <= 0 || options.seconds <= 0 || options.keys == 0)
    throw std::invalid_argument("--rate, --seconds and --keys must be positive");
  if (options.min_size == 0 || options.max_size < options.min_size)
    throw std::invalid_argument("--min-size must be positive and at most --max-size");
  return options;
}

class LoadGenerator {
 public:
  explicit LoadGenerator(const LoadOptions& options) : options_(options), random_(options.seed) {}

  // Appends one write of a random key, stamped `stamp`.
  void add_write(riot::redis::CommandBuffer& buffer, std::int64_t stamp) {
    const std::uint64_t index = random_() % options_.keys;
    const std::string key = riot::bench::key_of(index);
    const std::string stamp_text = riot::bench::encode_stamp(stamp);
    const std::string value = stamp_text + "|" + padding();
    switch (riot::bench::type_of_index(index)) {
      case LiveType::string:
        buffer.append({"SET", key, value});
        break;
      case LiveType::hash:
        buffer.append({"HSET", key, riot::bench::kStampField, stamp_text,
                       "f" + std::to_string(random_() % 16), padding()});
        break;
      case LiveType::list:
        buffer.append({"LPUSH", key, value});
        buffer.append({"LTRIM", key, "0", std::to_string(kCollectionLength - 1)});
        break;
      case LiveType::set: {
        buffer.append({"SADD", key, value});
        auto& stamped = set_members_[index];
        stamped.push_back(value);
        if (stamped.size() > kSetStamps) {
          buffer.append({"SREM", key, stamped.front()});
          stamped.pop_front();
        }
        break;
      }
      case LiveType::zset:
        buffer.append({"ZADD", key, std::to_string(stamp / 1000), value});
        buffer.append({"ZREMRANGEBYRANK", key, "0", "-" + std::to_string(kCollectionLength + 1)});
        break;
      case LiveType::stream:
        buffer.append({"XADD", key, "MAXLEN", "~", std::to_string(kCollectionLength), "*",
                       riot::bench::kStampField, stamp_text, "pad", padding()});
        break;
    }
  }

 private:
  // Random bytes, log-uniform in size between the options' bounds.
  std::string padding() {
    const double low = std::log(static_cast<double>(options_.min_size));
    const double high = std::log(static_cast<double>(options_.max_size));
    const auto size =
        static_cast<std::size_t>(std::exp(std::uniform_real_distribution<>(low, high)(random_)));
    std::string bytes(size, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random_() & 0xff);
    return bytes;
  }

  LoadOptions options_;
  std::mt19937_64 random_;
  std::unordered_map<std::uint64_t, std::deque<std::string>> set_members_;
};

int run(const LoadOptions& options) {
  riot::redis::ConnectionOptions connection_options;
  connection_options.uri = riot::redis::Uri::parse(options.uri);
  connection_options.client_name = "riot-bench-live-load";
  riot::redis::Connection connection(connection_options);
  connection.connect();

  LoadGenerator generator(options);
  riot::redis::CommandBuffer buffer;
  std::vector<riot::redis::Reply> replies;
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto total = static_cast<std::uint64_t>(options.rate * options.seconds);
  std::uint64_t written = 0;
  double behind_ms = 0;
  while (written < total) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const auto due = std::min(total, static_cast<std::uint64_t>(elapsed * options.rate) + 1);
    buffer.clear();
    const std::int64_t stamp = riot::bench::now_ns();
    for (; written < due; ++written) generator.add_write(buffer, stamp);
    if (!buffer.empty()) {
      replies.clear();
      connection.pipeline(buffer, replies);
      for (const auto& reply : replies)
        if (reply.is_error()) throw std::runtime_error("the source refused a write: " + reply.str);
    }
    const auto next = started + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(written / options.rate));
    behind_ms = std::chrono::duration<double, std::milli>(Clock::now() - next).count();
    std::this_thread::sleep_until(std::max(next, Clock::now() + std::chrono::milliseconds(1)));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  connection.checked({"SET", options.end_key, riot::bench::encode_stamp(riot::bench::now_ns())});
  std::cout << "writes=" << written << " seconds=" << seconds
            << " rate=" << static_cast<std::uint64_t>(written / seconds)
            << " behind_ms=" << std::max(0.0, behind_ms) << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::invalid_argument& error) {
    std::cerr << error.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "riot-bench-live-load: " << error.what() << "\n";
    return 1;
  }
}
