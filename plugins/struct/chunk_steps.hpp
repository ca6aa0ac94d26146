#pragma once
// How many elements the next chunk of a big key asks for, so that it holds
// about `chunk_bytes` whatever the size of its elements.

#include <cstddef>
#include <cstdint>
#include <string>

namespace riot::struct_plugin {

// The first chunk asks for few elements: their size is unknown, and a few of
// a megabyte each must not make a chunk of gigabytes.
inline constexpr std::uint64_t kFirstStep = 16;
// SCAN's COUNT and LRANGE's range stay below this however small the elements.
inline constexpr std::uint64_t kLargestStep = std::uint64_t{1} << 16;

// The step after a chunk that asked for `step` elements and got `elements`
// of them holding `bytes` in riot's memory. It grows at most eightfold per
// chunk (one chunk of unusually small elements is no proof), and grows when
// a chunk found nothing (a sparse SCAN page).
std::uint64_t next_step(std::uint64_t step, std::size_t elements, std::size_t bytes,
                        std::size_t chunk_bytes) noexcept;

// What `count` parts of `bytes` bytes weigh in riot's memory, each held as a
// std::string: the measure next_step() is fed with.
constexpr std::size_t held_bytes(std::size_t count, std::size_t bytes) noexcept {
  return bytes + count * sizeof(std::string);
}

}  // namespace riot::struct_plugin
