#include "riot/redis/cluster/slot.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace riot::redis::cluster {
namespace {

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection —
// the variant Redis Cluster specifies. The table is built at compile time.
constexpr std::array<std::uint16_t, 256> make_crc16_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    auto crc = static_cast<std::uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit)
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    table[byte] = crc;
  }
  return table;
}
constexpr std::array<std::uint16_t, 256> kCrc16Table = make_crc16_table();

std::uint16_t crc16(std::string_view bytes) noexcept {
  std::uint16_t crc = 0;
  for (const char c : bytes) {
    const auto index = static_cast<std::uint8_t>((crc >> 8) ^ static_cast<std::uint8_t>(c));
    crc = static_cast<std::uint16_t>((crc << 8) ^ kCrc16Table[index]);
  }
  return crc;
}

// The part of a key that is hashed: its hash tag when it has a non-empty one.
std::string_view hashed_part(std::string_view key) noexcept {
  const std::size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const std::size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

std::uint16_t parse_slot(std::string_view text, std::string_view whole) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("'" + std::string(text) + "' in slot ranges '" +
                                std::string(whole) + "' is not a slot number");
  if (value >= kSlotCount)
    throw std::invalid_argument("slot " + std::string(text) + " in slot ranges '" +
                                std::string(whole) + "' is out of range: slots are 0 to 16383");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::uint16_t key_slot(std::string_view key) noexcept {
  return static_cast<std::uint16_t>(crc16(hashed_part(key)) % kSlotCount);
}

SlotSet SlotSet::all() {
  SlotSet set;
  set.slots_.set();
  return set;
}

SlotSet SlotSet::parse(std::string_view text) {
  SlotSet set;
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty())
      throw std::invalid_argument("slot ranges '" + std::string(text) +
                                  "' have an empty range: write FIRST:LAST[,FIRST:LAST...]");
    const std::size_t separator = part.find_first_of(":-");
    const std::uint16_t first = parse_slot(part.substr(0, separator), text);
    const std::uint16_t last =
        separator == std::string_view::npos ? first : parse_slot(part.substr(separator + 1), text);
    if (last < first)
      throw std::invalid_argument("slot range '" + std::string(part) + "' in '" +
                                  std::string(text) + "' ends before it starts");
    set.add({first, last});
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return set;
}

void SlotSet::add(SlotRange range) {
  for (std::size_t slot = range.first; slot <= range.last; ++slot) slots_.set(slot);
}

bool SlotSet::intersects(SlotRange range) const {
  for (std::size_t slot = range.first; slot <= range.last; ++slot)
    if (slots_.test(slot)) return true;
  return false;
}

std::vector<SlotRange> SlotSet::ranges() const {
  std::vector<SlotRange> ranges;
  std::size_t slot = 0;
  while (slot < kSlotCount) {
    if (!slots_.test(slot)) {
      ++slot;
      continue;
    }
    const std::size_t first = slot;
    while (slot + 1 < kSlotCount && slots_.test(slot + 1)) ++slot;
    ranges.push_back({static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(slot)});
    ++slot;
  }
  return ranges;
}

std::string SlotSet::to_string() const {
  std::string text;
  for (const SlotRange& range : ranges()) {
    if (!text.empty()) text += ',';
    text += std::to_string(range.first);
    if (range.last != range.first) text += ':' + std::to_string(range.last);
  }
  return text;
}

}  // namespace riot::redis::cluster
