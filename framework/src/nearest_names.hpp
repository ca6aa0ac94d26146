#pragma once
// "Did you mean" suggestions: the known names closest to a misspelt one.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace riot::host {

// Edit distance counting insertions, deletions, substitutions and swaps of
// two adjacent characters (optimal string alignment), so that the usual typos
// ("sink.retsore", "codec.dum") cost one edit each.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates close enough to `name` to be a plausible typo, best first
// (ties in name order), at most `max` of them. Case is ignored, and a
// candidate whose last dotted part is `name` ("dump" for "codec.dump") counts
// as close, since users often leave out the kind prefix.
std::vector<std::string> nearest_names(std::string_view name,
                                       const std::vector<std::string>& candidates, std::size_t max);

}  // namespace riot::host
