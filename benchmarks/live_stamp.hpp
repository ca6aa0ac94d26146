#pragma once
// What the live benchmark's load generator (live_load.cpp) and observer
// (live_observe.cpp) agree on: the keys, one type per key, and the send
// timestamp every write embeds in its value, so that the observer can tell,
// when a key changes on the target, how long ago that value was written.
//
// Timestamps are nanoseconds of CLOCK_MONOTONIC (std::chrono::steady_clock on
// Linux): one clock for every process of the machine, never set back.

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace riot::bench {

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

enum class LiveType : std::uint8_t { string, hash, list, set, zset, stream };
inline constexpr std::array<std::string_view, 6> kLiveTypeNames{"string", "hash", "list",
                                                                "set",    "zset", "stream"};
inline constexpr std::string_view kKeyPrefix = "bench:";
// The field (hash, stream) or member (zset) that holds the stamp.
inline constexpr std::string_view kStampField = "stamp";

// Key i holds type i % 6: "bench:hash:13".
inline LiveType type_of_index(std::uint64_t index) {
  return static_cast<LiveType>(index % kLiveTypeNames.size());
}
inline std::string key_of(std::uint64_t index) {
  return std::string(kKeyPrefix) +
         std::string(kLiveTypeNames[static_cast<std::size_t>(type_of_index(index))]) + ":" +
         std::to_string(index);
}
// The type a benchmark key holds, from its name; nothing for another key.
inline std::optional<LiveType> type_of_key(std::string_view key) {
  if (!key.starts_with(kKeyPrefix)) return std::nullopt;
  key.remove_prefix(kKeyPrefix.size());
  for (std::size_t i = 0; i < kLiveTypeNames.size(); ++i)
    if (key.starts_with(kLiveTypeNames[i]) && key.size() > kLiveTypeNames[i].size() &&
        key[kLiveTypeNames[i].size()] == ':')
      return static_cast<LiveType>(i);
  return std::nullopt;
}

// A stamp as the text that starts a value: 20 digits, then '|' and the
// value's padding (strings, list elements, set members).
inline constexpr std::size_t kStampDigits = 20;
inline std::string encode_stamp(std::int64_t ns) {
  std::string digits = std::to_string(ns);
  return std::string(kStampDigits - digits.size(), '0') + digits;
}
// The stamp at the start of `text`; nothing when it does not start with one.
inline std::optional<std::int64_t> decode_stamp(std::string_view text) {
  if (text.size() < kStampDigits) return std::nullopt;
  std::int64_t ns = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + kStampDigits, ns);
  if (error != std::errc{} || end != text.data() + kStampDigits) return std::nullopt;
  return ns;
}

}  // namespace riot::bench
