#include "riot/redis/command_buffer.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace riot::redis {
namespace {

// Arguments at least this long (DUMP payloads, mostly) are appended to the
// buffer instead of being copied into space that resize() zero-filled first:
// for them the zero-filling would cost as much as the copy.
constexpr std::size_t kAppendedArgument = 1024;

constexpr std::size_t decimal_digits(std::size_t value) noexcept {
  std::size_t digits = 1;
  for (; value >= 10000; value /= 10000) digits += 4;
  if (value >= 1000) return digits + 3;
  if (value >= 100) return digits + 2;
  if (value >= 10) return digits + 1;
  return digits;
}

// "*<count>\r\n" or "$<length>\r\n".
constexpr std::size_t header_size(std::size_t value) noexcept {
  return 1 + decimal_digits(value) + 2;
}

// "$<length>\r\n<bytes>\r\n".
constexpr std::size_t bulk_size(std::size_t length) noexcept {
  return header_size(length) + length + 2;
}

char* write_header(char* out, char marker, std::size_t value) noexcept {
  *out++ = marker;
  out = std::to_chars(out, out + decimal_digits(value), value).ptr;
  *out++ = '\r';
  *out++ = '\n';
  return out;
}

char* write_bulk(char* out, std::string_view arg) noexcept {
  out = write_header(out, '$', arg.size());
  // An empty view may have no data pointer, which memcpy must not be given.
  if (!arg.empty()) std::memcpy(out, arg.data(), arg.size());
  out += arg.size();
  *out++ = '\r';
  *out++ = '\n';
  return out;
}

// Makes room for `extra` more bytes, growing geometrically (reserve() may
// allocate exactly what it is asked for), so that what follows does not
// allocate.
void reserve_more(std::string& buffer, std::size_t extra) {
  const std::size_t needed = buffer.size() + extra;
  if (needed > buffer.capacity()) buffer.reserve(std::max(needed, 2 * buffer.capacity()));
}

// Extends the buffer by `length` bytes (within its capacity) for the caller
// to write.
char* extend(std::string& buffer, std::size_t length) noexcept {
  const std::size_t old_size = buffer.size();
  buffer.resize(old_size + length);
  return buffer.data() + old_size;
}

}  // namespace

void CommandBuffer::append(std::initializer_list<std::string_view> args) {
  append(std::span<const std::string_view>(args.begin(), args.size()));
}

// The command is sized first, so that the buffer grows (if it must) once,
// before anything is written; nothing after that allocates or throws, and a
// failed append leaves the buffer as it was.
void CommandBuffer::append(std::span<const std::string_view> args) {
  if (args.empty()) throw std::invalid_argument("a Redis command needs at least its name");
  std::size_t total = header_size(args.size());
  bool appended_arguments = false;
  for (const std::string_view arg : args) {
    total += bulk_size(arg.size());
    appended_arguments = appended_arguments || arg.size() >= kAppendedArgument;
  }
  reserve_more(buffer_, total);
  ends_.push_back(buffer_.size() + total);

  if (!appended_arguments) {
    char* out = write_header(extend(buffer_, total), '*', args.size());
    for (const std::string_view arg : args) out = write_bulk(out, arg);
    return;
  }

  // Runs of short arguments are written in place, each run ending with the
  // header of a long argument, whose bytes are then appended; the "\r\n"
  // after a long argument starts the next run.
  std::size_t run_begin = 0;  // first argument of the run
  std::size_t run_size = header_size(args.size());
  for (std::size_t index = 0; index <= args.size(); ++index) {
    const bool last_run = index == args.size();
    if (!last_run && args[index].size() < kAppendedArgument) {
      run_size += bulk_size(args[index].size());
      continue;
    }
    if (!last_run) run_size += header_size(args[index].size());
    char* out = extend(buffer_, run_size);
    if (run_begin == 0) {
      out = write_header(out, '*', args.size());
    } else {
      *out++ = '\r';
      *out++ = '\n';
    }
    for (std::size_t short_arg = run_begin; short_arg < index; ++short_arg)
      out = write_bulk(out, args[short_arg]);
    if (last_run) break;
    write_header(out, '$', args[index].size());
    buffer_.append(args[index]);
    run_begin = index + 1;
    run_size = 2;
  }
}

void CommandBuffer::append_raw(std::string_view encoded_command) {
  reserve_more(buffer_, encoded_command.size());
  ends_.push_back(buffer_.size() + encoded_command.size());
  buffer_.append(encoded_command);
}

void CommandBuffer::clear() noexcept {
  buffer_.clear();
  ends_.clear();
}

}  // namespace riot::redis
