#include "riot/redis/command_buffer.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
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

// A buffer past this capacity is released by clear(): it held large copied
// arguments, and keeping it would hold that memory for nothing.
constexpr std::size_t kKeptCapacity = 4 << 20;

}  // namespace

void CommandBuffer::append(std::initializer_list<std::string_view> args) {
  append(std::span<const std::string_view>(args.begin(), args.size()));
}

void CommandBuffer::append(std::span<const std::string_view> args) {
  append_command(args, std::numeric_limits<std::size_t>::max());
}

void CommandBuffer::append_referencing(std::initializer_list<std::string_view> args) {
  append_referencing(std::span<const std::string_view>(args.begin(), args.size()));
}

void CommandBuffer::append_referencing(std::span<const std::string_view> args) {
  append_command(args, kReferencedArgument);
}

// The command is sized first, so that the buffer grows (if it must) once,
// before anything is written; nothing after that allocates or throws, and a
// failed append leaves the buffer as it was. Arguments of `referenced_from`
// bytes or more are referenced, not copied.
void CommandBuffer::append_command(std::span<const std::string_view> args,
                                   std::size_t referenced_from) {
  if (args.empty()) throw std::invalid_argument("a Redis command needs at least its name");
  std::size_t total = header_size(args.size());  // in the stream
  std::size_t referenced = 0;                    // of those bytes, referenced
  std::size_t references = 0;
  bool appended_arguments = false;
  for (const std::string_view arg : args) {
    total += bulk_size(arg.size());
    appended_arguments = appended_arguments || arg.size() >= kAppendedArgument;
    if (arg.size() >= referenced_from) {
      referenced += arg.size();
      ++references;
    }
  }
  reserve_more(buffer_, total - referenced);
  if (references > 0) references_.reserve(references_.size() + references);
  ends_.push_back(byte_size() + total);

  if (!appended_arguments) {
    char* out = write_header(extend(buffer_, total), '*', args.size());
    for (const std::string_view arg : args) out = write_bulk(out, arg);
    return;
  }

  // Runs of short arguments are written in place, each run ending with the
  // header of a long argument, whose bytes are then appended or referenced;
  // the "\r\n" after a long argument starts the next run.
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
    if (args[index].size() >= referenced_from) {
      references_.push_back({buffer_.size(), byte_size(), args[index]});
      referenced_bytes_ += args[index].size();
    } else {
      buffer_.append(args[index]);
    }
    run_begin = index + 1;
    run_size = 2;
  }
}

void CommandBuffer::append_command(const CommandBuffer& source, std::size_t index) {
  const std::size_t begin = index == 0 ? 0 : source.end_offset(index - 1);
  const std::size_t end = source.end_offset(index);
  std::size_t references = 0;
  std::size_t referenced = 0;
  source.for_each_piece(begin, end, [&](std::string_view piece, bool is_reference) {
    references += is_reference ? 1 : 0;
    referenced += is_reference ? piece.size() : 0;
    return true;
  });
  reserve_more(buffer_, end - begin - referenced);
  if (references > 0) references_.reserve(references_.size() + references);
  ends_.push_back(byte_size() + end - begin);
  source.for_each_piece(begin, end, [&](std::string_view piece, bool is_reference) {
    if (is_reference) {
      references_.push_back({buffer_.size(), byte_size(), piece});
      referenced_bytes_ += piece.size();
    } else {
      buffer_.append(piece);
    }
    return true;
  });
}

void CommandBuffer::append_raw(std::string_view encoded_command) {
  reserve_more(buffer_, encoded_command.size());
  ends_.push_back(byte_size() + encoded_command.size());
  buffer_.append(encoded_command);
}

void CommandBuffer::clear() noexcept {
  if (buffer_.capacity() > kKeptCapacity) {
    std::string().swap(buffer_);
  } else {
    buffer_.clear();
  }
  references_.clear();
  referenced_bytes_ = 0;
  ends_.clear();
}

// The stream alternates between runs of buffer_ and references. A position
// before reference r (and after the one before it) lies at buffer_ offset
// position - (r.stream_offset - r.at): the bytes referenced before r.
template <typename Visit>
void CommandBuffer::for_each_piece(std::size_t begin, std::size_t end, Visit visit) const {
  end = std::min(end, byte_size());
  auto next = std::partition_point(
      references_.begin(), references_.end(),
      [begin](const Reference& ref) { return ref.stream_offset + ref.bytes.size() <= begin; });
  std::size_t position = begin;
  while (position < end) {
    if (next != references_.end() && position >= next->stream_offset) {
      const std::size_t from = position - next->stream_offset;
      const std::size_t length = std::min(next->bytes.size() - from, end - position);
      if (!visit(next->bytes.substr(from, length), true)) return;
      position += length;
      ++next;
      continue;
    }
    const std::size_t run_end = next != references_.end() ? next->stream_offset : byte_size();
    const std::size_t referenced_before =
        next != references_.end() ? next->stream_offset - next->at : referenced_bytes_;
    const std::size_t length = std::min(run_end, end) - position;
    if (!visit(std::string_view(buffer_).substr(position - referenced_before, length), false))
      return;
    position += length;
  }
}

std::size_t CommandBuffer::gather(std::size_t begin, std::size_t end,
                                  std::span<std::string_view> pieces) const noexcept {
  std::size_t filled = 0;
  if (pieces.empty()) return 0;
  for_each_piece(begin, end, [&](std::string_view piece, bool) {
    pieces[filled++] = piece;
    return filled < pieces.size();
  });
  return filled;
}

std::string CommandBuffer::flatten(std::size_t begin, std::size_t end) const {
  std::string stream;
  for_each_piece(begin, end, [&](std::string_view piece, bool) {
    stream.append(piece);
    return true;
  });
  return stream;
}

}  // namespace riot::redis
