#include "scan_progress.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace riot::scan_plugin {
namespace {

// A walk must have covered this much of its table before its share of
// matching keys says anything of the rest.
constexpr double kLeastWalked = 1.0 / 64;

std::uint64_t reverse_bits(std::uint64_t value) noexcept {
  std::uint64_t reversed = 0;
  for (int bit = 0; bit < 64; ++bit) {
    reversed = (reversed << 1) | (value & 1);
    value >>= 1;
  }
  return reversed;
}

}  // namespace

double walked_fraction(std::uint64_t cursor) noexcept {
  if (cursor == 0) return 1.0;
  // 2^-64: the reversed cursor as a fraction of the whole 64-bit range.
  return std::ldexp(static_cast<double>(reverse_bits(cursor)), -64);
}

std::optional<std::uint64_t> estimate_total_keys(std::span<const WalkSample> walks) {
  std::uint64_t emitted = 0;
  double estimate = 0;
  for (const WalkSample& walk : walks) {
    emitted += walk.emitted;
    if (walk.finished) {
      estimate += static_cast<double>(walk.emitted);
      continue;
    }
    if (walk.unreadable || walk.walked < kLeastWalked) return std::nullopt;
    estimate += static_cast<double>(walk.emitted) / walk.walked;
  }
  if (walks.empty()) return std::nullopt;
  const bool all_finished =
      std::all_of(walks.begin(), walks.end(), [](const WalkSample& walk) { return walk.finished; });
  if (!all_finished && emitted < kFewestKeysForEstimate) return std::nullopt;
  return std::max(emitted, static_cast<std::uint64_t>(std::llround(estimate)));
}

void ScanProgress::page(std::string_view next_cursor, std::uint64_t keys_emitted) {
  std::uint64_t cursor = 0;
  const auto [end, error] =
      std::from_chars(next_cursor.data(), next_cursor.data() + next_cursor.size(), cursor);
  const bool parsed = error == std::errc() && end == next_cursor.data() + next_cursor.size();
  const std::lock_guard lock(mutex_);
  sample_.emitted += keys_emitted;
  if (!parsed) return;
  if (cursor == 0) {
    sample_.finished = true;
    sample_.walked = 1.0;
    return;
  }
  // A single table's reversed cursor only grows, also across the table's
  // resizing; one that goes back is not such a cursor.
  const double walked = walked_fraction(cursor);
  if (walked < sample_.walked) sample_.unreadable = true;
  sample_.walked = std::max(sample_.walked, walked);
}

void ScanProgress::restart() {
  const std::lock_guard lock(mutex_);
  sample_ = WalkSample{};
}

WalkSample ScanProgress::sample() const {
  const std::lock_guard lock(mutex_);
  return sample_;
}

}  // namespace riot::scan_plugin
