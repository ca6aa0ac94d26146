#include "stream_chunk_position.hpp"

#include <charconv>
#include <stdexcept>

namespace riot::stream_plugin {

// "<last id>" while groups are unknown; "<last id>\n<size>:<name><size>:<name>..."
// once known. Ids never hold '\n'; names are length-prefixed, so any byte goes.
std::string encode_position(const StreamChunkPosition& position) {
  std::string text = position.last_id;
  if (!position.groups_known) return text;
  text += '\n';
  for (const std::string& name : position.groups) {
    text += std::to_string(name.size());
    text += ':';
    text += name;
  }
  return text;
}

StreamChunkPosition decode_position(std::string_view text) {
  StreamChunkPosition position;
  const std::size_t newline = text.find('\n');
  position.last_id = std::string(text.substr(0, newline));
  if (newline == std::string_view::npos) return position;
  position.groups_known = true;
  std::string_view rest = text.substr(newline + 1);
  while (!rest.empty()) {
    std::size_t size = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), size);
    const std::size_t digits = static_cast<std::size_t>(end - rest.data());
    if (error != std::errc() || digits >= rest.size() || rest[digits] != ':' ||
        size > rest.size() - digits - 1) {
      throw std::invalid_argument("not a stream chunk position");
    }
    position.groups.emplace_back(rest.substr(digits + 1, size));
    rest.remove_prefix(digits + 1 + size);
  }
  return position;
}

}  // namespace riot::stream_plugin
