#pragma once
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis {

// A batch of commands encoded in RESP, ready to be pipelined: each command is
// an array of bulk strings ("*<argc>\r\n", then "$<length>\r\n<bytes>\r\n" per
// argument), the encoding hiredis's redisFormatCommandArgv produces.
// Arguments are binary-safe and may be empty. Reused across batches (clear()
// keeps the capacity) so the hot path does not allocate per command.
//
// The encoded stream is the buffer's own bytes with, spliced in, the large
// arguments appended by reference (append_referencing): a DUMP payload of
// hundreds of megabytes goes to the socket from the record that holds it
// (writev), never copied into the buffer. gather() walks the stream as
// contiguous pieces.
class CommandBuffer {
 public:
  // Arguments at least this long are referenced by append_referencing().
  // Below it a copy costs less than a piece of its own in every write.
  static constexpr std::size_t kReferencedArgument = 16 * 1024;

  // Appends one command, copying its arguments; `args` (its name first) must
  // not point into this buffer's own bytes, which the append may move.
  void append(std::initializer_list<std::string_view> args);
  void append(std::span<const std::string_view> args);

  // Appends one command whose arguments of kReferencedArgument bytes or more
  // are not copied: the buffer keeps a view of them, so their bytes must stay
  // in place and unchanged until the buffer is cleared or destroyed.
  void append_referencing(std::initializer_list<std::string_view> args);
  void append_referencing(std::span<const std::string_view> args);

  // Appends command `index` of `source` as encoded there (a cluster client
  // regroups a batch per node this way without re-encoding); what `source`
  // references stays referenced, so it has the same lifetime rule.
  void append_command(const CommandBuffer& source, std::size_t index);

  // Appends one command already encoded in RESP, copying it.
  void append_raw(std::string_view encoded_command);

  std::size_t size() const noexcept { return ends_.size(); }
  bool empty() const noexcept { return ends_.empty(); }
  // Forgets the commands and the references; keeps the buffer's capacity
  // unless it grew past what a batch of small commands needs.
  void clear() noexcept;

  // The length of the encoded stream, and where command i ends in it.
  std::size_t byte_size() const noexcept { return buffer_.size() + referenced_bytes_; }
  std::size_t end_offset(std::size_t index) const noexcept { return ends_[index]; }

  // Fills `pieces` with the contiguous pieces that hold the stream from
  // `begin` on, up to `end` or until `pieces` is full, and returns how many
  // it filled. The pieces stay valid until the buffer changes.
  std::size_t gather(std::size_t begin, std::size_t end,
                     std::span<std::string_view> pieces) const noexcept;

  // The stream from `begin` to `end` as one string (a copy: for tests and
  // diagnostics, not for sending).
  std::string flatten(std::size_t begin = 0, std::size_t end = std::string::npos) const;

  // The buffer's own bytes: the whole stream when nothing is referenced
  // (has_references() is false), as with append() alone.
  std::string_view bytes() const noexcept { return buffer_; }
  bool has_references() const noexcept { return !references_.empty(); }

 private:
  // An argument's bytes spliced into the stream before buffer_[at].
  struct Reference {
    std::size_t at;             // offset in buffer_
    std::size_t stream_offset;  // offset in the stream
    std::string_view bytes;
  };

  void append_command(std::span<const std::string_view> args, std::size_t referenced_from);
  // Calls visit(piece, referenced) for each piece of the stream from `begin`
  // to `end`, in order, while it returns true.
  template <typename Visit>
  void for_each_piece(std::size_t begin, std::size_t end, Visit visit) const;

  std::string buffer_;
  std::vector<Reference> references_;
  std::size_t referenced_bytes_ = 0;
  std::vector<std::size_t> ends_;
};

}  // namespace riot::redis
