// Fills a Redis database with random, incompressible data for the
// benchmarks, through deep pipelines:
//
//   riot-bench-fill URI [--strings N] [--string-size B] [--hashes N]
//                   [--hash-fields F] [--field-size B]
//                   [--mixed N] [--min-size B] [--max-size B] [--seed S]
//
// --strings/--hashes (dataset A): "string:<i>" keys of --string-size random
// bytes (default 1,000,000 keys of 100 B, or none when --mixed is given) and
// "hash:<i>" keys of --hash-fields fields "field:<f>" of --field-size bytes.
//
// --mixed N (dataset B): N keys of every core type in rotation (key i is of
// type i % 6: string, hash, list, set, zset, stream), named
// "mixed:<type>:<i>". The total size of a key's values is drawn from a
// log-uniform distribution between --min-size (10 B) and --max-size (1 MB):
// half the keys hold at most ~3 KB, the mean is ~87 KB, so N keys hold
// ~N x 87 KB. A collection's elements are each drawn log-uniform between
// 10 B and 1 KB (at most the key's total), so collections range from one
// element to ~100,000 and cover both compact (listpack) and large
// (hashtable, skiplist, quicklist) encodings. A third of the keys get a TTL
// between 1 h and 48 h. Every key is drawn from its own generator seeded by
// (--seed, i): the same options give the same data.
//
// Prints one summary line: keys=K ttl_keys=T payload_bytes=B commands=C seconds=S
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"

namespace {

struct FillOptions {
  std::string uri;
  std::optional<std::uint64_t> strings;  // default: 1,000,000, or 0 with --mixed
  std::size_t string_size = 100;
  std::uint64_t hashes = 0;
  std::size_t hash_fields = 10;
  std::size_t field_size = 100;
  std::uint64_t mixed = 0;
  std::size_t min_size = 10;
  std::size_t max_size = 1000000;
  std::uint64_t seed = 1;
};

constexpr std::string_view kUsage =
    "usage: riot-bench-fill URI [--strings N] [--string-size B] [--hashes N] "
    "[--hash-fields F] [--field-size B] [--mixed N] [--min-size B] [--max-size B] [--seed S]\n";

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// xorshift64*: fast and good enough to defeat LZF compression in RDB.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed | 1) {}
  std::uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high].
  std::uint64_t between(std::uint64_t low, std::uint64_t high) {
    return low + next() % (high - low + 1);
  }
  // Log-uniform in [low, high]: every power of ten equally likely.
  std::size_t log_uniform(std::size_t low, std::size_t high) {
    if (high <= low) return low;
    const double log_low = std::log(static_cast<double>(low));
    const double log_high = std::log(static_cast<double>(high));
    const double value = std::exp(log_low + uniform() * (log_high - log_low));
    return std::clamp(static_cast<std::size_t>(value), low, high);
  }
  void fill(std::string& out, std::size_t size) {
    out.resize(size);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      const std::uint64_t word = next();
      std::memcpy(out.data() + i, &word, 8);
    }
    if (i < size) {
      const std::uint64_t word = next();
      std::memcpy(out.data() + i, &word, size - i);
    }
  }

 private:
  std::uint64_t state_;
};

[[noreturn]] void usage_error(std::string_view message) {
  std::cerr << "riot-bench-fill: " << message << "\n" << kUsage;
  std::exit(2);
}

std::uint64_t number(std::string_view name, std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    usage_error(std::string(name) + " needs a non-negative integer, not '" + std::string(text) +
                "'");
  return value;
}

FillOptions parse(int argc, char** argv) {
  FillOptions options;
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::cerr << kUsage;
    std::exit(argc < 2 ? 2 : 0);
  }
  options.uri = argv[1];
  for (int i = 2; i < argc; i += 2) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) usage_error(std::string(name) + " needs a value");
    const std::uint64_t value = number(name, argv[i + 1]);
    if (name == "--strings")
      options.strings = value;
    else if (name == "--string-size")
      options.string_size = value;
    else if (name == "--hashes")
      options.hashes = value;
    else if (name == "--hash-fields")
      options.hash_fields = value;
    else if (name == "--field-size")
      options.field_size = value;
    else if (name == "--mixed")
      options.mixed = value;
    else if (name == "--min-size")
      options.min_size = value;
    else if (name == "--max-size")
      options.max_size = value;
    else if (name == "--seed")
      options.seed = value;
    else
      usage_error("unknown option " + std::string(name));
  }
  if (options.min_size < 1 || options.max_size < options.min_size)
    usage_error("needs 1 <= --min-size <= --max-size");
  if (!options.strings) options.strings = options.mixed > 0 ? 0 : 1000000;
  return options;
}

// Sends commands in pipelined batches of at most 1000 commands or ~4 MB.
class PipelinedWriter {
 public:
  explicit PipelinedWriter(riot::redis::Connection& connection) : connection_(connection) {}
  void add(std::span<const std::string_view> args) {
    commands_.append(args);
    ++sent_;
    if (commands_.size() >= 1000 || commands_.bytes().size() >= (4u << 20)) flush();
  }
  void flush() {
    if (commands_.empty()) return;
    replies_.clear();
    connection_.pipeline(commands_, replies_);
    for (const auto& reply : replies_)
      if (reply.is_error()) throw std::runtime_error("fill failed: " + reply.str);
    commands_.clear();
  }
  std::uint64_t sent() const noexcept { return sent_; }

 private:
  riot::redis::Connection& connection_;
  riot::redis::CommandBuffer commands_;
  std::vector<riot::redis::Reply> replies_;
  std::uint64_t sent_ = 0;
};

struct Totals {
  std::uint64_t keys = 0;
  std::uint64_t ttl_keys = 0;
  std::uint64_t payload_bytes = 0;  // keys, fields, members and values
};

void fill_strings_and_hashes(const FillOptions& options, PipelinedWriter& writer, Totals& totals) {
  Random random(options.seed);
  std::string key, value;
  for (std::uint64_t i = 0; i < *options.strings; ++i) {
    key = "string:" + std::to_string(i);
    random.fill(value, options.string_size);
    const std::string_view args[] = {"SET", key, value};
    writer.add(args);
    totals.payload_bytes += key.size() + value.size();
  }
  totals.keys += *options.strings;
  std::vector<std::string> fields(options.hash_fields * 2);
  std::vector<std::string_view> args;
  for (std::uint64_t i = 0; i < options.hashes; ++i) {
    key = "hash:" + std::to_string(i);
    args.assign({"HSET", key});
    totals.payload_bytes += key.size();
    for (std::size_t f = 0; f < options.hash_fields; ++f) {
      fields[2 * f] = "field:" + std::to_string(f);
      random.fill(fields[2 * f + 1], options.field_size);
      args.push_back(fields[2 * f]);
      args.push_back(fields[2 * f + 1]);
      totals.payload_bytes += fields[2 * f].size() + fields[2 * f + 1].size();
    }
    if (options.hash_fields > 0) writer.add(args);
  }
  if (options.hash_fields > 0) totals.keys += options.hashes;
}

constexpr std::string_view kMixedTypes[] = {"string", "hash", "list", "set", "zset", "stream"};
constexpr std::size_t kMinElement = 10;
constexpr std::size_t kMaxElement = 1000;
constexpr std::size_t kElementsPerCommand = 1000;

// Writes key `i` of dataset B (see the header comment).
void fill_mixed_key(const FillOptions& options, std::uint64_t i, PipelinedWriter& writer,
                    Totals& totals) {
  Random random(splitmix64(options.seed ^ splitmix64(i)));
  const std::size_t type = i % 6;
  const std::string key = "mixed:" + std::string(kMixedTypes[type]) + ":" + std::to_string(i);
  const std::size_t total = random.log_uniform(options.min_size, options.max_size);
  const bool with_ttl = random.uniform() < 1.0 / 3.0;
  const std::string ttl_ms = std::to_string(random.between(3600000, 48 * 3600000));
  const std::size_t element =
      type == 0 ? total : std::min(total, random.log_uniform(kMinElement, kMaxElement));
  const std::size_t count = std::max<std::size_t>(1, total / element);
  totals.keys += 1;
  totals.ttl_keys += with_ttl ? 1 : 0;
  totals.payload_bytes += key.size() + count * element;

  // Collections go out in commands of at most kElementsPerCommand elements.
  std::vector<std::string> values(std::min(count, kElementsPerCommand));
  std::vector<std::string> names(values.size());  // hash fields, zset scores, stream ids
  std::vector<std::string_view> args;
  for (std::size_t done = 0; done < count;) {
    const std::size_t n = std::min(count - done, kElementsPerCommand);
    for (std::size_t j = 0; j < n; ++j) random.fill(values[j], element);
    switch (type) {
      case 0:  // string
        if (with_ttl)
          writer.add(std::initializer_list<std::string_view>{"SET", key, values[0], "PX", ttl_ms});
        else
          writer.add(std::initializer_list<std::string_view>{"SET", key, values[0]});
        break;
      case 1:  // hash
        args.assign({"HSET", key});
        for (std::size_t j = 0; j < n; ++j) {
          names[j] = "f:" + std::to_string(done + j);
          totals.payload_bytes += names[j].size();
          args.push_back(names[j]);
          args.push_back(values[j]);
        }
        writer.add(args);
        break;
      case 2:  // list
      case 3:  // set
        args.assign({type == 2 ? "RPUSH" : "SADD", key});
        for (std::size_t j = 0; j < n; ++j) args.push_back(values[j]);
        writer.add(args);
        break;
      case 4:  // zset
        args.assign({"ZADD", key});
        for (std::size_t j = 0; j < n; ++j) {
          names[j] = std::to_string(random.next() % 1000000000);
          args.push_back(names[j]);
          args.push_back(values[j]);
        }
        writer.add(args);
        break;
      case 5:  // stream: one entry {v: value} per XADD, with fixed ids
        for (std::size_t j = 0; j < n; ++j) {
          names[j] = "1-" + std::to_string(done + j + 1);
          writer.add(
              std::initializer_list<std::string_view>{"XADD", key, names[j], "v", values[j]});
        }
        break;
    }
    done += n;
  }
  if (with_ttl && type != 0)
    writer.add(std::initializer_list<std::string_view>{"PEXPIRE", key, ttl_ms});
}

}  // namespace

int main(int argc, char** argv) try {
  const FillOptions options = parse(argc, argv);
  const auto start = std::chrono::steady_clock::now();
  riot::redis::ConnectionOptions connection_options;
  connection_options.uri = riot::redis::Uri::parse(options.uri);
  connection_options.role = "fill";
  riot::redis::Connection connection(connection_options);
  connection.connect();
  PipelinedWriter writer(connection);
  Totals totals;
  fill_strings_and_hashes(options, writer, totals);
  for (std::uint64_t i = 0; i < options.mixed; ++i) fill_mixed_key(options, i, writer, totals);
  writer.flush();
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::cout << "keys=" << totals.keys << " ttl_keys=" << totals.ttl_keys
            << " payload_bytes=" << totals.payload_bytes << " commands=" << writer.sent()
            << " seconds=" << seconds.count() << "\n";
  return 0;
} catch (const std::exception& error) {
  std::cerr << "riot-bench-fill: " << error.what() << "\n";
  return 1;
}
