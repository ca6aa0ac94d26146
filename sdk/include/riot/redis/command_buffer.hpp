#pragma once
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis {

// A batch of commands encoded in RESP into one contiguous buffer, ready to be
// pipelined. Reused across batches (clear() keeps the capacity) so the hot
// path does not allocate per command.
class CommandBuffer {
 public:
  void append(std::initializer_list<std::string_view> args);
  void append(std::span<const std::string_view> args);
  // Appends one command already encoded in RESP (taken from another buffer:
  // a cluster client regroups a batch per node this way without re-encoding).
  void append_raw(std::string_view encoded_command);

  std::size_t size() const noexcept { return ends_.size(); }
  bool empty() const noexcept { return ends_.empty(); }
  void clear() noexcept;

  // The encoded bytes of all commands, and where command i ends in them.
  std::string_view bytes() const noexcept { return buffer_; }
  std::size_t end_offset(std::size_t index) const noexcept { return ends_[index]; }

 private:
  void append_encoded(int argc, const char** argv, const std::size_t* lengths);

  std::string buffer_;
  std::vector<std::size_t> ends_;
  std::vector<const char*> argv_;     // scratch, reused
  std::vector<std::size_t> lengths_;  // scratch, reused
};

}  // namespace riot::redis
