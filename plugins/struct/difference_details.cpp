#include "difference_details.hpp"

#include <algorithm>

#include "riot/record.hpp"

namespace riot::struct_plugin {
namespace {

// A detail names one element; a name of kilobytes would drown it.
constexpr std::size_t kLongestName = 64;

std::string at_least(std::uint64_t length, bool known) {
  return (known ? "" : "at least ") + std::to_string(length);
}

}  // namespace

std::string quoted_name(std::string_view name) {
  return "\"" + printable_key(name, kLongestName) + "\"";
}

std::size_t first_differing_byte(std::string_view a, std::string_view b) noexcept {
  const std::size_t common = std::min(a.size(), b.size());
  const auto differing = std::mismatch(a.begin(), a.begin() + common, b.begin()).first;
  return static_cast<std::size_t>(differing - a.begin());
}

std::string bytes_difference(std::string_view source, std::string_view target) {
  if (source == target) return {};
  if (source.size() != target.size()) {
    return std::to_string(source.size()) + " bytes vs " + std::to_string(target.size()) + " bytes";
  }
  return "byte " + std::to_string(first_differing_byte(source, target)) + " differs";
}

std::string string_difference(std::uint64_t offset, std::uint64_t source_length,
                              bool source_length_known, std::int64_t target_length) {
  return "byte " + std::to_string(offset) + " differs, " +
         at_least(source_length, source_length_known) + " bytes vs " +
         std::to_string(target_length) + " bytes";
}

std::string length_difference(std::uint64_t source_length, bool source_length_known,
                              std::int64_t target_length) {
  return "length " + at_least(source_length, source_length_known) + " vs " +
         std::to_string(target_length);
}

std::string no_value_on_target(std::string_view type_name) {
  return "target holds no " + std::string(type_name);
}

}  // namespace riot::struct_plugin
