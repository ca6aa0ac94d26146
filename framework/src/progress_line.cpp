#include "progress_line.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime_units.hpp"

namespace riot::host {

namespace {

constexpr std::size_t kBarCells = 24;

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
  if (snapshot.total) text += "/" + std::to_string(*snapshot.total);
  return text + " keys";
}

// The remaining time at the current rate, when both are known.
std::optional<double> eta_seconds(const ProgressFigures& figures) {
  const auto& snapshot = figures.snapshot;
  if (!snapshot.total || figures.keys_per_second <= 0) return std::nullopt;
  const std::uint64_t done = std::min(snapshot.done(), *snapshot.total);
  if (done == *snapshot.total) return std::nullopt;  // nothing left to wait for
  return static_cast<double>(*snapshot.total - done) / figures.keys_per_second;
}

std::string bar_cells(double fraction) {
  const auto filled = static_cast<std::size_t>(fraction * kBarCells);
  std::string cells(kBarCells, ' ');
  std::fill_n(cells.begin(), filled, '=');
  if (filled < kBarCells) cells[filled] = '>';
  return "[" + cells + "]";
}

}  // namespace

std::optional<double> ProgressSnapshot::fraction() const {
  if (!total) return std::nullopt;
  if (*total == 0) return 1.0;
  return std::clamp(static_cast<double>(done()) / static_cast<double>(*total), 0.0, 1.0);
}

std::string format_progress_bar(const ProgressFigures& figures, std::size_t width) {
  const auto& snapshot = figures.snapshot;
  std::string line;
  if (const auto fraction = snapshot.fraction()) {
    line = bar_cells(*fraction) + " " + padded_percent(*fraction) + "  ";
  }
  line += keys_text(snapshot);
  line += "  " + format_compact(figures.keys_per_second) + " keys/s";
  if (const auto eta = eta_seconds(figures)) line += "  ETA " + format_duration(*eta);
  line += "  written " + std::to_string(snapshot.written);
  if (snapshot.skipped > 0) line += "  skipped " + std::to_string(snapshot.skipped);
  if (snapshot.failed > 0) line += "  failed " + std::to_string(snapshot.failed);
  // A line that wraps could not be redrawn in place.
  if (width > 1 && line.size() >= width) line.resize(width - 1);
  return line;
}

std::string format_progress_log_line(const ProgressFigures& figures) {
  const auto& snapshot = figures.snapshot;
  std::string line = "progress:";
  if (const auto fraction = snapshot.fraction())
    line += " " + std::to_string(whole_percent(*fraction)) + "%";
  line += " " + keys_text(snapshot);
  line += ", scanned " + std::to_string(snapshot.scanned);
  line += ", written " + std::to_string(snapshot.written);
  line += ", deleted " + std::to_string(snapshot.deleted);
  line += ", skipped " + std::to_string(snapshot.skipped);
  line += ", failed " + std::to_string(snapshot.failed);
  line += ", " + format_compact(figures.keys_per_second) + " keys/s";
  if (const auto eta = eta_seconds(figures)) line += ", ETA " + format_duration(*eta);
  line += ", elapsed " + format_duration(figures.elapsed_seconds);
  return line;
}

}  // namespace riot::host
