#pragma once
// The words of a comparison's detail, shared by every datatype of the struct
// and stream plugins so that a difference reads the same whatever the type:
// names quoted with their binary bytes escaped (riot::printable_key) and
// long ones cut short, sizes before contents.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace riot::struct_plugin {

// A field, member, consumer or group name as a detail shows it: "\"f\\x00\"",
// at most 64 bytes of it.
std::string quoted_name(std::string_view name);

// The first offset at which `a` and `b` differ: the shorter one's length when
// it is a prefix of the other, a.size() when they are equal.
std::size_t first_differing_byte(std::string_view a, std::string_view b) noexcept;

// What tells two values apart: "5 bytes vs 7 bytes" when their lengths
// differ, "byte 3 differs" when they do not; "" for equal values.
std::string bytes_difference(std::string_view source, std::string_view target);

// A string's difference: "byte 3 differs, 10 bytes vs 12 bytes"; a source
// whose length is not known yet (a chunk before the last) is "at least 10
// bytes".
std::string string_difference(std::uint64_t offset, std::uint64_t source_length,
                              bool source_length_known, std::int64_t target_length);

// "length 10 vs 9", or "length at least 10 vs 9" before the last chunk.
std::string length_difference(std::uint64_t source_length, bool source_length_known,
                              std::int64_t target_length);

// "target holds no hash": the target key is missing or of another type.
std::string no_value_on_target(std::string_view type_name);

}  // namespace riot::struct_plugin
