#include "stream_id.hpp"

#include <charconv>

namespace riot::stream_plugin {
namespace {

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<StreamId> parse_stream_id(std::string_view text) {
  const std::size_t dash = text.find('-');
  const std::optional<std::uint64_t> ms = parse_number(text.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return StreamId{*ms, 0};
  const std::optional<std::uint64_t> seq = parse_number(text.substr(dash + 1));
  if (!seq) return std::nullopt;
  return StreamId{*ms, *seq};
}

}  // namespace riot::stream_plugin
