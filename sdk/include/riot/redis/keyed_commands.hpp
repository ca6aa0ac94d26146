#pragma once
// A batch of commands that each act on one key, encoded once and remembered
// with the key's cluster slot, so that a Client can send each command to the
// server that holds its key.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "riot/redis/cluster/slot.hpp"
#include "riot/redis/command_buffer.hpp"

namespace riot::redis {

class KeyedCommands {
 public:
  // Whether each command's slot is computed: a cluster client needs it (and
  // refuses a batch without), a single server does not, which spares a CRC16
  // per command on the hot path. Set it from Client::is_cluster() before the
  // first append; on by default.
  void track_slots(bool on) noexcept { track_slots_ = on; }
  bool tracks_slots() const noexcept { return track_slots_; }

  // Appends a command on `key` (which `args` holds too, where the command
  // wants it). Commands keep their order; replies come back in it.
  void append(std::string_view key, std::initializer_list<std::string_view> args) {
    if (track_slots_) slots_.push_back(cluster::key_slot(key));
    commands_.append(args);
  }
  void append(std::string_view key, std::span<const std::string_view> args) {
    if (track_slots_) slots_.push_back(cluster::key_slot(key));
    commands_.append(args);
  }
  // Like append(), but large arguments are referenced, not copied (see
  // CommandBuffer::append_referencing): they must outlive the send.
  void append_referencing(std::string_view key, std::initializer_list<std::string_view> args) {
    if (track_slots_) slots_.push_back(cluster::key_slot(key));
    commands_.append_referencing(args);
  }

  std::size_t size() const noexcept { return commands_.size(); }
  bool empty() const noexcept { return commands_.empty(); }
  void clear() noexcept {
    commands_.clear();
    slots_.clear();
  }

  const CommandBuffer& commands() const noexcept { return commands_; }
  // The slot of command `index`; only while tracks_slots().
  std::uint16_t slot(std::size_t index) const noexcept { return slots_[index]; }
  // The encoded bytes of command `index`, as one string (a copy: for tests
  // and diagnostics).
  std::string encoded(std::size_t index) const {
    return commands_.flatten(index == 0 ? 0 : commands_.end_offset(index - 1),
                             commands_.end_offset(index));
  }

 private:
  CommandBuffer commands_;
  std::vector<std::uint16_t> slots_;
  bool track_slots_ = true;
};

}  // namespace riot::redis
