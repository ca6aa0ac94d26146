#include "progress_line.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>
#include <vector>

#include "runtime_units.hpp"

namespace riot::host {

namespace {

constexpr std::size_t kBarCells = 24;  // the bar at full length
// A shorter bar tells no more than the percentage beside it: none then.
constexpr std::size_t kFewestBarCells = 5;

// Rounded down: 100% only once everything is done.
int whole_percent(double fraction) {
  return static_cast<int>(std::floor(fraction * 100));
}

// Padded to a fixed width so that the rest of the bar does not move.
std::string padded_percent(double fraction) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%3d%%", whole_percent(fraction));
  return buffer;
}

std::string keys_text(const ProgressSnapshot& snapshot) {
  std::string text = std::to_string(snapshot.done());
  if (const auto total = snapshot.shown_total()) text += "/" + std::to_string(*total);
  return text + " keys";
}

// The remaining time at the current rate, when both are known.
std::optional<double> eta_seconds(const ProgressFigures& figures) {
  const auto total = figures.snapshot.shown_total();
  if (!total || figures.keys_per_second <= 0) return std::nullopt;
  const std::uint64_t done = std::min(figures.snapshot.done(), *total);
  if (done == *total) return std::nullopt;  // nothing left to wait for
  return static_cast<double>(*total - done) / figures.keys_per_second;
}

std::string bar_cells(double fraction, std::size_t cells) {
  const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(cells));
  std::string bar(cells, ' ');
  std::fill_n(bar.begin(), std::min(filled, cells), '=');
  if (filled < cells) bar[filled] = '>';
  return "[" + bar + "]";
}

// One part of the bar line. `drop_rank` says how readily it goes when the
// line is too long: the lowest rank first; 0 never.
struct Part {
  std::string text;  // empty for the bar, whose length is fitted
  int drop_rank = 0;
  bool is_bar = false;
};

// Never dropped parts sort last.
int drop_order(const Part& part) {
  return part.drop_rank == 0 ? std::numeric_limits<int>::max() : part.drop_rank;
}

// `parts` joined by `separator` into `room` columns, the bar given what is
// left (up to kBarCells); nothing when they do not fit.
std::optional<std::string> fit(const std::vector<Part>& parts, double fraction,
                               std::string_view separator, std::size_t room) {
  std::size_t fixed = 0;
  bool has_bar = false;
  for (const Part& part : parts) {
    if (part.is_bar) has_bar = true;
    fixed += part.text.size();
  }
  fixed += separator.size() * (parts.size() - 1);
  if (fixed > room) return std::nullopt;
  std::size_t cells = 0;
  if (has_bar) {
    const std::size_t brackets = 2;
    if (room - fixed < brackets + kFewestBarCells) return std::nullopt;
    cells = std::min(kBarCells, room - fixed - brackets);
  }
  std::string line;
  for (const Part& part : parts) {
    if (!line.empty()) line += separator;
    line += part.is_bar ? bar_cells(fraction, cells) : part.text;
  }
  return line;
}

}  // namespace

std::optional<std::uint64_t> ProgressSnapshot::shown_total() const {
  if (!total) return std::nullopt;
  return std::max(*total, scanned);
}

std::optional<double> ProgressSnapshot::fraction() const {
  const auto shown = shown_total();
  if (!shown) return std::nullopt;
  if (*shown == 0) return 1.0;
  return std::clamp(static_cast<double>(done()) / static_cast<double>(*shown), 0.0, 1.0);
}

namespace {

std::string lag_text(const ProgressSnapshot::Live& live) {
  if (!live.lag_p50_ms || !live.lag_p99_ms) return "lag -";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "lag p50 %.1f ms p99 %.1f ms", *live.lag_p50_ms,
                *live.lag_p99_ms);
  return buffer;
}

// Listening: the walks are done, the bar of the scan has nothing to say; the
// live figures take its place.
std::vector<Part> live_parts(const ProgressFigures& figures) {
  const ProgressSnapshot::Live& live = *figures.snapshot.live;
  std::vector<Part> parts;
  parts.push_back({"listening", 0});
  parts.push_back({format_compact(figures.events_per_second) + " events/s", 0});
  parts.push_back({std::to_string(live.waiting) + " waiting", 3});
  parts.push_back({lag_text(live), 4});
  parts.push_back({"written " + std::to_string(figures.snapshot.written), 1});
  parts.push_back({"deleted " + std::to_string(figures.snapshot.deleted), 2});
  if (figures.snapshot.failed > 0)
    parts.push_back({"failed " + std::to_string(figures.snapshot.failed), 7});
  return parts;
}

}  // namespace

std::string format_live_figures(const ProgressFigures& figures) {
  if (!figures.snapshot.live) return {};
  const ProgressSnapshot::Live& live = *figures.snapshot.live;
  return std::string(live.listening ? "listening" : "scanning") + ": " +
         format_compact(figures.events_per_second) + " events/s, " + std::to_string(live.waiting) +
         " waiting, " + lag_text(live);
}

std::string format_progress_bar(const ProgressFigures& figures, std::size_t width) {
  const auto& snapshot = figures.snapshot;
  const bool listening = snapshot.live && snapshot.live->listening;
  const auto fraction = snapshot.fraction();
  // Display order; the drop ranks say what goes first when the line is too
  // long: counts the summary gives anyway, then the bar (the percentage
  // says as much), then the rate, the ETA, the percentage; failures last.
  std::vector<Part> parts;
  if (listening) {
    parts = live_parts(figures);
  } else {
    if (fraction) {
      parts.push_back({"", 3, true});
      parts.push_back({padded_percent(*fraction), 6});
    }
    parts.push_back({keys_text(snapshot), 0});
    parts.push_back({format_compact(figures.keys_per_second) + " keys/s", 4});
    if (const auto eta = eta_seconds(figures)) parts.push_back({"ETA " + format_duration(*eta), 5});
    if (snapshot.comparison) {
      parts.push_back({"compared " + std::to_string(snapshot.comparison->keys()), 0});
      parts.push_back({format_counts(*snapshot.comparison), 1});
    } else {
      parts.push_back({"written " + std::to_string(snapshot.written), 1});
    }
    if (snapshot.skipped > 0) parts.push_back({"skipped " + std::to_string(snapshot.skipped), 2});
    if (snapshot.failed > 0) parts.push_back({"failed " + std::to_string(snapshot.failed), 7});
    // Scanning while following changes: the events so far, dropped early.
    if (snapshot.live)
      parts.push_back({format_compact(figures.events_per_second) + " events/s", 2});
  }

  // A line that reaches the last column may wrap, and could then not be
  // redrawn in place; a width of 0 or 1 means unknown.
  const std::size_t room = width > 1 ? width - 1 : std::numeric_limits<std::size_t>::max();
  for (;;) {
    for (const std::string_view separator : {"  ", " "}) {
      if (auto line = fit(parts, fraction.value_or(0), separator, room)) return *line;
    }
    const auto droppable = std::min_element(
        parts.begin(), parts.end(),
        [](const Part& a, const Part& b) { return drop_order(a) < drop_order(b); });
    if (droppable == parts.end() || droppable->drop_rank == 0) break;
    parts.erase(droppable);
  }
  // Narrower than any terminal: the key count, cut.
  std::string line = keys_text(snapshot);
  if (line.size() > room) line.resize(room);
  return line;
}

std::string format_progress_log_line(const ProgressFigures& figures) {
  const auto& snapshot = figures.snapshot;
  std::string line = "progress:";
  if (const auto fraction = snapshot.fraction())
    line += " " + std::to_string(whole_percent(*fraction)) + "%";
  line += " " + keys_text(snapshot);
  line += ", scanned " + std::to_string(snapshot.scanned);
  if (snapshot.comparison) {
    line += ", compared " + std::to_string(snapshot.comparison->keys()) + " (" +
            format_counts(*snapshot.comparison) + ")";
  } else {
    line += ", written " + std::to_string(snapshot.written);
  }
  line += ", deleted " + std::to_string(snapshot.deleted);
  line += ", skipped " + std::to_string(snapshot.skipped);
  line += ", failed " + std::to_string(snapshot.failed);
  line += ", " + format_compact(figures.keys_per_second) + " keys/s";
  if (const auto eta = eta_seconds(figures)) line += ", ETA " + format_duration(*eta);
  line += ", elapsed " + format_duration(figures.elapsed_seconds);
  if (snapshot.live) line += "; " + format_live_figures(figures);
  return line;
}

}  // namespace riot::host
