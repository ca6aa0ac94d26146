#include "chunk_steps.hpp"

#include <algorithm>

namespace riot::struct_plugin {

std::uint64_t next_step(std::uint64_t step, std::size_t elements, std::size_t bytes,
                        std::size_t chunk_bytes) noexcept {
  const std::uint64_t current = std::max<std::uint64_t>(step, 1);
  const std::uint64_t ceiling = std::min(current * 8, kLargestStep);
  if (elements == 0) return ceiling;
  const std::uint64_t per_element = std::max<std::uint64_t>(bytes / elements, 1);
  return std::clamp<std::uint64_t>(chunk_bytes / per_element, 1, ceiling);
}

}  // namespace riot::struct_plugin
