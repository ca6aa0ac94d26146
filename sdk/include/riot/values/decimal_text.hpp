#pragma once
// An integer as a command argument ("PX", "12000"; "LRANGE", key, "0", "99"),
// written into a buffer of its own rather than a std::string: no allocation
// per command on the hot path.

#include <array>
#include <charconv>
#include <concepts>
#include <string_view>

namespace riot::values {

class DecimalText {
 public:
  explicit DecimalText(std::integral auto value) noexcept {
    size_ = static_cast<std::size_t>(
        std::to_chars(text_.data(), text_.data() + text_.size(), value).ptr - text_.data());
  }

  std::string_view view() const noexcept { return {text_.data(), size_}; }

 private:
  std::array<char, 24> text_{};  // any 64-bit integer with its sign
  std::size_t size_ = 0;
};

}  // namespace riot::values
