// Fills a Redis database with random, incompressible data for the
// benchmarks, through deep pipelines:
//   riot-bench-fill URI --strings N [--string-size B] [--hashes N]
//                   [--hash-fields F] [--field-size B] [--seed S]
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/connection.hpp"

namespace {

struct FillOptions {
  std::string uri;
  std::uint64_t strings = 1000000;
  std::size_t string_size = 100;
  std::uint64_t hashes = 0;
  std::size_t hash_fields = 10;
  std::size_t field_size = 100;
  std::uint64_t seed = 1;
};

// xorshift64*: fast and good enough to defeat LZF compression in RDB.
class RandomBytes {
 public:
  explicit RandomBytes(std::uint64_t seed) : state_(seed | 1) {}
  void fill(std::string& out, std::size_t size) {
    out.resize(size);
    for (std::size_t i = 0; i < size; i += 8) {
      state_ ^= state_ >> 12;
      state_ ^= state_ << 25;
      state_ ^= state_ >> 27;
      const std::uint64_t word = state_ * 0x2545F4914F6CDD1DULL;
      for (std::size_t b = 0; b < 8 && i + b < size; ++b)
        out[i + b] = static_cast<char>(word >> (8 * b));
    }
  }

 private:
  std::uint64_t state_;
};

FillOptions parse(int argc, char** argv) {
  FillOptions options;
  if (argc < 2) {
    std::cerr << "usage: riot-bench-fill URI [--strings N] [--string-size B] [--hashes N] "
                 "[--hash-fields F] [--field-size B] [--seed S]\n";
    std::exit(2);
  }
  options.uri = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const std::uint64_t value = std::strtoull(argv[i + 1], nullptr, 10);
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
    else if (name == "--seed")
      options.seed = value;
    else {
      std::cerr << "riot-bench-fill: unknown option " << name << "\n";
      std::exit(2);
    }
  }
  return options;
}

class PipelinedWriter {
 public:
  explicit PipelinedWriter(riot::redis::Connection& connection) : connection_(connection) {}
  void add(std::span<const std::string_view> args) {
    commands_.append(args);
    if (commands_.size() >= 1000) flush();
  }
  void flush() {
    if (commands_.empty()) return;
    replies_.clear();
    connection_.pipeline(commands_, replies_);
    for (const auto& reply : replies_)
      if (reply.is_error()) throw std::runtime_error("fill failed: " + reply.str);
    commands_.clear();
  }

 private:
  riot::redis::Connection& connection_;
  riot::redis::CommandBuffer commands_;
  std::vector<riot::redis::Reply> replies_;
};

}  // namespace

int main(int argc, char** argv) try {
  const FillOptions options = parse(argc, argv);
  riot::redis::ConnectionOptions connection_options;
  connection_options.uri = riot::redis::Uri::parse(options.uri);
  connection_options.role = "fill";
  riot::redis::Connection connection(connection_options);
  connection.connect();
  PipelinedWriter writer(connection);
  RandomBytes random(options.seed);
  std::string key, value;
  for (std::uint64_t i = 0; i < options.strings; ++i) {
    key = "string:" + std::to_string(i);
    random.fill(value, options.string_size);
    const std::string_view args[] = {"SET", key, value};
    writer.add(args);
  }
  std::vector<std::string> fields(options.hash_fields * 2);
  std::vector<std::string_view> args;
  for (std::uint64_t i = 0; i < options.hashes; ++i) {
    key = "hash:" + std::to_string(i);
    args.assign({"HSET", key});
    for (std::size_t f = 0; f < options.hash_fields; ++f) {
      fields[2 * f] = "field:" + std::to_string(f);
      random.fill(fields[2 * f + 1], options.field_size);
      args.push_back(fields[2 * f]);
      args.push_back(fields[2 * f + 1]);
    }
    writer.add(args);
  }
  writer.flush();
  return 0;
} catch (const std::exception& error) {
  std::cerr << "riot-bench-fill: " << error.what() << "\n";
  return 1;
}
