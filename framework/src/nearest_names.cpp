#include "nearest_names.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace riot::host {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows of the classic dynamic programme: the swap of two
  // adjacent characters looks two rows back.
  std::vector<std::size_t> before_previous(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

namespace {

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Distance between what the user typed and a candidate: the whole name, or the
// part after the last dot plus one (the missing prefix is still a difference).
std::size_t typo_distance(const std::string& typed, const std::string& candidate) {
  std::size_t distance = edit_distance(typed, candidate);
  const std::size_t dot = candidate.rfind('.');
  if (dot != std::string::npos) {
    distance = std::min(distance, edit_distance(typed, candidate.substr(dot + 1)) + 1);
  }
  return distance;
}

// Beyond about a third of the name, a "suggestion" is a different name, not a
// typo; short names still get two edits.
std::size_t max_typo_distance(std::string_view typed) {
  return std::max<std::size_t>(2, typed.size() / 3);
}

}  // namespace

std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max) {
  const std::string typed = lowercase(name);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = typo_distance(typed, lowercase(candidate));
    if (distance <= max_typo_distance(typed)) scored.emplace_back(distance, candidate);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> result;
  for (auto& [distance, candidate] : scored) {
    if (result.size() == max) break;
    result.push_back(std::move(candidate));
  }
  return result;
}

}  // namespace riot::host
