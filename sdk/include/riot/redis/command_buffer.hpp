#pragma once
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis {

// A batch of commands encoded in RESP into one contiguous buffer, ready to be
// pipelined: each command is an array of bulk strings ("*<argc>\r\n", then
// "$<length>\r\n<bytes>\r\n" per argument), the encoding hiredis's
// redisFormatCommandArgv produces. Arguments are binary-safe and may be
// empty. Reused across batches (clear() keeps the capacity) so the hot path
// does not allocate per command.
class CommandBuffer {
 public:
  // Appends one command; `args` (its name first) must not point into this
  // buffer's own bytes, which the append may move.
  void append(std::initializer_list<std::string_view> args);
  void append(std::span<const std::string_view> args);
  // Appends one command already encoded in RESP (taken from another buffer:
  // a cluster client regroups a batch per node this way without re-encoding),
  // not from this buffer.
  void append_raw(std::string_view encoded_command);

  std::size_t size() const noexcept { return ends_.size(); }
  bool empty() const noexcept { return ends_.empty(); }
  void clear() noexcept;

  // The encoded bytes of all commands, and where command i ends in them.
  std::string_view bytes() const noexcept { return buffer_; }
  std::size_t end_offset(std::size_t index) const noexcept { return ends_[index]; }

 private:
  std::string buffer_;
  std::vector<std::size_t> ends_;
};

}  // namespace riot::redis
