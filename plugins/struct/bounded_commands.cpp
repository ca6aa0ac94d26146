#include "bounded_commands.hpp"

#include <vector>

namespace riot::struct_plugin {

std::size_t append_bounded(redis::KeyedCommands& commands, std::string_view verb,
                           std::string_view key, std::span<const std::string> parts,
                           std::size_t stride, ElementOrder order) {
  std::vector<std::string_view> args;
  args.reserve(2 + std::min(parts.size(), kElementsPerCommand * stride));
  std::size_t appended = 0;
  std::size_t next = 0;
  while (next + stride <= parts.size()) {
    args.assign({verb, key});
    std::size_t bytes = 0;
    std::size_t elements = 0;
    // At least one element per command, however large.
    while (next + stride <= parts.size() && elements < kElementsPerCommand &&
           (elements == 0 || bytes < kBytesPerCommand)) {
      const std::size_t sent = order == ElementOrder::name_only ? 1 : stride;
      if (order == ElementOrder::reversed) {
        for (std::size_t i = stride; i-- > 0;) args.emplace_back(parts[next + i]);
      } else {
        for (std::size_t i = 0; i < sent; ++i) args.emplace_back(parts[next + i]);
      }
      for (std::size_t i = 0; i < sent; ++i) bytes += parts[next + i].size();
      next += stride;
      ++elements;
    }
    commands.append(key, std::span<const std::string_view>(args));
    ++appended;
  }
  return appended;
}

}  // namespace riot::struct_plugin
