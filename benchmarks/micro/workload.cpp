#include "workload.hpp"

#include <hiredis/hiredis.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>
#include <stdexcept>

#include "riot/redis/command_buffer.hpp"
#include "riot/redis/reply_reader.hpp"

namespace riot::micro {
namespace {

struct FreeDeleter {
  void operator()(char* memory) const noexcept { std::free(memory); }
};

struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept { ::freeReplyObject(reply); }
};

void append_bulk(std::string& out, std::string_view bytes) {
  out += "$" + std::to_string(bytes.size()) + "\r\n";
  out += bytes;
  out += "\r\n";
}

std::string random_bytes(std::mt19937& random, std::size_t size) {
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

// Whether hiredis's reply and riot's hold the same thing.
bool same_reply(const redisReply& expected, const redis::Reply& actual) {
  switch (expected.type) {
    case REDIS_REPLY_STRING:
      return actual.is_string() && actual.str == std::string_view(expected.str, expected.len);
    case REDIS_REPLY_STATUS:
      return actual.is_status() && actual.str == std::string_view(expected.str, expected.len);
    case REDIS_REPLY_ERROR:
      return actual.is_error() && actual.str == std::string_view(expected.str, expected.len);
    case REDIS_REPLY_INTEGER:
      return actual.is_integer() && actual.integer == expected.integer;
    case REDIS_REPLY_NIL:
      return actual.is_nil();
    case REDIS_REPLY_ARRAY:
      if (!actual.is_array() || actual.elements.size() != expected.elements) return false;
      for (std::size_t i = 0; i < expected.elements; ++i)
        if (!same_reply(*expected.element[i], actual.elements[i])) return false;
      return true;
    default:
      return false;
  }
}

std::string check_stream(const char* name, const std::string& stream) {
  redis::ReplyReader riot_reader;
  const std::unique_ptr<redisReader, decltype(&::redisReaderFree)> hiredis_reader(
      ::redisReaderCreate(), &::redisReaderFree);
  riot_reader.feed(stream);
  if (::redisReaderFeed(hiredis_reader.get(), stream.data(), stream.size()) != REDIS_OK)
    return std::string(name) + ": hiredis refused the stream";
  std::size_t count = 0;
  for (;;) {
    void* raw = nullptr;
    if (::redisReaderGetReply(hiredis_reader.get(), &raw) != REDIS_OK)
      return std::string(name) + ": hiredis failed to parse the stream";
    const std::unique_ptr<redisReply, ReplyDeleter> expected(static_cast<redisReply*>(raw));
    redis::Reply actual;
    const bool riot_has_one = riot_reader.next(actual);
    if (!expected) {
      if (riot_has_one) return std::string(name) + ": riot read one reply more than hiredis";
      break;
    }
    if (!riot_has_one || !same_reply(*expected, actual))
      return std::string(name) + ": reply " + std::to_string(count) + " differs";
    ++count;
  }
  if (count == 0) return std::string(name) + ": no reply in the stream";
  return {};
}

}  // namespace

std::vector<std::string> make_keys(std::size_t count) {
  std::vector<std::string> keys;
  keys.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    char key[64];
    std::snprintf(key, sizeof key, "bench:user:%07zu:profile", i);
    keys.emplace_back(key);
  }
  return keys;
}

std::string make_payload(std::size_t size, std::uint32_t seed) {
  std::mt19937 random(seed);
  return random_bytes(random, size);
}

std::string dump_pttl_replies(std::size_t keys, std::size_t payload_size) {
  std::string stream;
  for (std::size_t i = 0; i < keys; ++i) {
    append_bulk(stream, make_payload(payload_size, static_cast<std::uint32_t>(i)));
    stream += ":" + std::to_string(1735689600000 + static_cast<long long>(i)) + "\r\n";
  }
  return stream;
}

std::string restore_replies(std::size_t keys) {
  std::string stream;
  for (std::size_t i = 0; i < keys; ++i) stream += "+OK\r\n";
  return stream;
}

std::string scan_reply(std::size_t keys) {
  std::string stream = "*2\r\n";
  append_bulk(stream, "17592186044416");
  stream += "*" + std::to_string(keys) + "\r\n";
  for (const std::string& key : make_keys(keys)) append_bulk(stream, key);
  return stream;
}

void LegacyCommandBuffer::append(std::span<const std::string_view> args) {
  if (args.empty()) throw std::invalid_argument("a Redis command needs at least its name");
  if (args.size() > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument("a Redis command has at most INT_MAX arguments");
  argv_.clear();
  lengths_.clear();
  for (const std::string_view arg : args) {
    argv_.push_back(arg.data() != nullptr ? arg.data() : "");
    lengths_.push_back(arg.size());
  }
  char* encoded = nullptr;
  const int length = ::redisFormatCommandArgv(&encoded, static_cast<int>(args.size()), argv_.data(),
                                              lengths_.data());
  const std::unique_ptr<char, FreeDeleter> owner(encoded);
  if (length < 0 || encoded == nullptr) throw std::bad_alloc();
  buffer_.append(encoded, static_cast<std::size_t>(length));
  ends_.push_back(buffer_.size());
}

void LegacyCommandBuffer::clear() noexcept {
  buffer_.clear();
  ends_.clear();
}

std::size_t hiredis_format(std::span<const std::string_view> args) {
  constexpr std::size_t kMaxArgs = 8;
  const char* argv[kMaxArgs];
  std::size_t lengths[kMaxArgs];
  if (args.size() > kMaxArgs) throw std::invalid_argument("too many arguments for the benchmark");
  for (std::size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data() != nullptr ? args[i].data() : "";
    lengths[i] = args[i].size();
  }
  char* encoded = nullptr;
  const int length =
      ::redisFormatCommandArgv(&encoded, static_cast<int>(args.size()), argv, lengths);
  const std::unique_ptr<char, FreeDeleter> owner(encoded);
  if (length < 0 || encoded == nullptr) throw std::bad_alloc();
  return static_cast<std::size_t>(length);
}

std::string check_encoder_against_hiredis() {
  std::mt19937 random(20240601);
  redis::CommandBuffer riot_buffer;
  LegacyCommandBuffer hiredis_buffer;
  for (int batch = 0; batch < 50; ++batch) {
    riot_buffer.clear();
    hiredis_buffer.clear();
    for (int command = 0; command < 200; ++command) {
      std::vector<std::string> args(1 + random() % 7);
      for (auto& arg : args) {
        const unsigned shape = random() % 20;
        const std::size_t size = shape == 0   ? 0
                                 : shape == 1 ? random() % 20000  // DUMP payload sized
                                              : random() % 100;
        arg = random_bytes(random, size);
      }
      const std::vector<std::string_view> views(args.begin(), args.end());
      riot_buffer.append(views);
      hiredis_buffer.append(views);
    }
    if (riot_buffer.bytes() != hiredis_buffer.bytes())
      return "encoder: batch " + std::to_string(batch) + " differs from redisFormatCommandArgv";
  }
  return {};
}

std::string check_parser_against_hiredis() {
  for (const std::string& failure :
       {check_stream("DUMP+PTTL replies", dump_pttl_replies(200, 100)),
        check_stream("RESTORE replies", restore_replies(200)),
        check_stream("SCAN reply", scan_reply(1000)),
        check_stream("mixed replies",
                     "-ERR no\r\n$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n:-5\r\n*2\r\n*1\r\n"
                     ":1\r\n$4\r\na\r\nb\r\n")}) {
    if (!failure.empty()) return failure;
  }
  return {};
}

}  // namespace riot::micro
