#pragma once
// Redis Cluster hash slots: which of the 16384 slots a key belongs to, and
// sets of slots written as ranges ("0:5460,10923:16383").

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riot::redis::cluster {

inline constexpr std::size_t kSlotCount = 16384;

// The slot of a key: CRC16 (XMODEM) of the key modulo 16384, or of its hash
// tag when it has one (the bytes between the first '{' and the next '}',
// when there is at least one byte between them), exactly as Redis computes
// it, so keys that share a tag share a slot.
std::uint16_t key_slot(std::string_view key) noexcept;

// An inclusive range of slots.
struct SlotRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;

  bool contains(std::uint16_t slot) const noexcept { return first <= slot && slot <= last; }
  bool operator==(const SlotRange&) const = default;
};

// A set of slots. Parsing accepts what users write on a command line:
// comma-separated ranges "FIRST:LAST" (also "FIRST-LAST") or single slots,
// e.g. "0:5460,10923:16383" or "42".
class SlotSet {
 public:
  SlotSet() = default;  // empty
  static SlotSet all();
  // Throws std::invalid_argument naming the faulty part of `text`.
  static SlotSet parse(std::string_view text);

  void add(SlotRange range);
  bool contains(std::uint16_t slot) const { return slots_.test(slot); }
  bool contains_key(std::string_view key) const { return contains(key_slot(key)); }
  bool intersects(SlotRange range) const;
  // The slots both sets hold.
  SlotSet operator&(const SlotSet& other) const {
    SlotSet both;
    both.slots_ = slots_ & other.slots_;
    return both;
  }
  bool is_all() const { return slots_.all(); }
  bool empty() const { return slots_.none(); }
  std::size_t count() const { return slots_.count(); }

  // The set as the fewest ascending ranges.
  std::vector<SlotRange> ranges() const;
  // "0:5460,10923:16383": what parse() reads back.
  std::string to_string() const;

  bool operator==(const SlotSet&) const = default;

 private:
  std::bitset<kSlotCount> slots_;
};

}  // namespace riot::redis::cluster
