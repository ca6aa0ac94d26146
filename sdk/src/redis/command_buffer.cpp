#include "riot/redis/command_buffer.hpp"

#include <hiredis/hiredis.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>

namespace riot::redis {
namespace {

struct FreeDeleter {
  void operator()(char* memory) const noexcept { std::free(memory); }
};

}  // namespace

void CommandBuffer::append(std::initializer_list<std::string_view> args) {
  append(std::span<const std::string_view>(args.begin(), args.size()));
}

void CommandBuffer::append(std::span<const std::string_view> args) {
  if (args.empty()) throw std::invalid_argument("a Redis command needs at least its name");
  if (args.size() > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument("a Redis command has at most INT_MAX arguments");
  argv_.clear();
  lengths_.clear();
  for (const std::string_view arg : args) {
    // An empty view may have no data pointer; hiredis copies zero bytes from it anyway.
    argv_.push_back(arg.data() != nullptr ? arg.data() : "");
    lengths_.push_back(arg.size());
  }
  append_encoded(static_cast<int>(args.size()), argv_.data(), lengths_.data());
}

// hiredis allocates each encoded command; it is copied into the one buffer
// and freed at once. That is one malloc/free pair per command, cheap next to
// the system calls and the server's work, and kept so that the encoding is
// exactly hiredis's.
void CommandBuffer::append_encoded(int argc, const char** argv, const std::size_t* lengths) {
  char* encoded = nullptr;
  const int length = ::redisFormatCommandArgv(&encoded, argc, argv, lengths);
  const std::unique_ptr<char, FreeDeleter> owner(encoded);
  if (length < 0 || encoded == nullptr) throw std::bad_alloc();
  buffer_.append(encoded, static_cast<std::size_t>(length));
  ends_.push_back(buffer_.size());
}

void CommandBuffer::append_raw(std::string_view encoded_command) {
  buffer_.append(encoded_command);
  ends_.push_back(buffer_.size());
}

void CommandBuffer::clear() noexcept {
  buffer_.clear();
  ends_.clear();
}

}  // namespace riot::redis
