#include "runtime_units.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace riot::host {

namespace {

std::string printf_string(const char* format, double value, const char* unit) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), format, value, unit);
  return buffer.data();
}

}  // namespace

std::string format_duration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  if (seconds < 60) return printf_string("%.1f%s", seconds, "s");
  const auto total = static_cast<std::uint64_t>(std::llround(seconds));
  const std::uint64_t hours = total / 3600;
  const std::uint64_t minutes = total / 60 % 60;
  const std::uint64_t secs = total % 60;
  std::array<char, 48> buffer{};
  if (hours > 0) {
    std::snprintf(buffer.data(), buffer.size(), "%lluh%02llum%02llus",
                  static_cast<unsigned long long>(hours), static_cast<unsigned long long>(minutes),
                  static_cast<unsigned long long>(secs));
  } else {
    std::snprintf(buffer.data(), buffer.size(), "%llum%02llus",
                  static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(secs));
  }
  return buffer.data();
}

std::string format_compact(double value) {
  if (!(value >= 0)) value = 0;
  if (value < 1000) return printf_string("%.0f%s", value, "");
  static constexpr std::array<const char*, 4> kSuffixes{"k", "M", "G", "T"};
  std::size_t suffix = 0;
  value /= 1000;
  while (value >= 1000 && suffix + 1 < kSuffixes.size()) {
    value /= 1000;
    ++suffix;
  }
  return printf_string(value < 100 ? "%.1f%s" : "%.0f%s", value, kSuffixes[suffix]);
}

}  // namespace riot::host
