// The progress bar at every terminal width: the bar shrinks, then goes, then
// the least needed figures go, but a figure is never cut; and the total it
// shows is never below the keys the source already emitted.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "progress_line.hpp"

namespace riot::host {
namespace {

// A run of 2M keys a little short of half done, as the issue saw it.
ProgressFigures migration_halfway() {
  ProgressFigures figures;
  figures.snapshot.total = 2000000;
  figures.snapshot.scanned = 973465;
  figures.snapshot.written = 962000;
  figures.keys_per_second = 94500;
  figures.elapsed_seconds = 10;
  return figures;
}

ProgressFigures with_failures() {
  ProgressFigures figures = migration_halfway();
  figures.snapshot.skipped = 1234;
  figures.snapshot.failed = 17;
  return figures;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each figure the bar may show, whole, and a word that only it holds: where
// the word shows, the whole figure must.
struct Figure {
  std::string word;
  std::string whole;
};

std::vector<Figure> figures_of(const std::string& full_line) {
  // The figures as the widest line shows them: "ETA 10.3s" and the like are
  // computed, not written here.
  std::vector<Figure> figures;
  for (const std::string word : {"keys/s", "ETA", "written", "skipped", "failed", "%"}) {
    const auto at = full_line.find(word);
    if (at == std::string::npos) continue;
    // A figure is "NUMBER WORD" or "WORD NUMBER": up to the separator on
    // each side.
    auto begin = full_line.rfind("  ", at);
    begin = begin == std::string::npos ? 0 : begin + 2;
    auto end = full_line.find("  ", at);
    if (end == std::string::npos) end = full_line.size();
    std::string whole = full_line.substr(begin, end - begin);
    // The percentage is padded ("  48%"): compare what follows the padding.
    whole.erase(0, whole.find_first_not_of(' '));
    figures.push_back({word, whole});
  }
  return figures;
}

void expect_whole_figures_at_every_width(const ProgressFigures& progress) {
  const std::string full = format_progress_bar(progress, 1000);
  const std::vector<Figure> figures = figures_of(full);
  ASSERT_GE(figures.size(), 4u) << full;
  std::size_t shown_before = 0;
  for (std::size_t width = 40; width <= 200; ++width) {
    const std::string line = format_progress_bar(progress, width);
    SCOPED_TRACE("width " + std::to_string(width) + ": " + line);
    EXPECT_LT(line.size(), width) << "a line that wraps cannot be redrawn in place";
    EXPECT_TRUE(contains(line, std::to_string(progress.snapshot.done()) + "/")) << "key count";
    std::size_t shown = 0;
    for (const Figure& figure : figures) {
      if (!contains(line, figure.word)) continue;
      EXPECT_TRUE(contains(line, figure.whole)) << "cut: " << figure.whole;
      ++shown;
    }
    EXPECT_GE(shown, shown_before) << "a wider line never shows fewer figures";
    shown_before = shown;
    if (contains(line, "[")) {
      EXPECT_TRUE(contains(line, "]")) << "the bar is whole too";
    }
  }
  EXPECT_EQ(shown_before, figures.size()) << "200 columns show every figure";
}

TEST(ProgressBarWidth, FiguresAreWholeFrom40To200Columns) {
  expect_whole_figures_at_every_width(migration_halfway());
}

TEST(ProgressBarWidth, FiguresAreWholeWithFailuresToo) {
  expect_whole_figures_at_every_width(with_failures());
}

TEST(ProgressBarWidth, At50ColumnsTheRateAndEtaStay) {
  const ProgressFigures progress = migration_halfway();
  const std::string full = format_progress_bar(progress, 1000);
  const std::string narrow = format_progress_bar(progress, 50);
  for (const Figure& figure : figures_of(full)) {
    if (figure.word == "keys/s" || figure.word == "ETA" || figure.word == "%") {
      EXPECT_TRUE(contains(narrow, figure.whole)) << narrow << " lacks " << figure.whole;
    }
  }
}

TEST(ProgressBarWidth, TheBarShrinksBeforeAnyFigureGoes) {
  const ProgressFigures progress = migration_halfway();
  const std::string full = format_progress_bar(progress, 1000);
  const std::string shorter = format_progress_bar(progress, full.size() - 5);
  EXPECT_EQ(shorter.size(), full.size() - 5 - 1) << shorter;
  for (const Figure& figure : figures_of(full))
    EXPECT_TRUE(contains(shorter, figure.whole)) << shorter << " lacks " << figure.whole;
}

TEST(ProgressTotal, NeverBelowTheKeysAlreadyEmitted) {
  ProgressSnapshot snapshot;
  snapshot.total = 100;  // an estimate that fell short
  snapshot.scanned = 250;
  snapshot.written = 120;
  EXPECT_EQ(snapshot.shown_total(), 250u);
  EXPECT_DOUBLE_EQ(*snapshot.fraction(), 120.0 / 250);
  ProgressFigures figures;
  figures.snapshot = snapshot;
  EXPECT_TRUE(contains(format_progress_log_line(figures), "120/250 keys"))
      << format_progress_log_line(figures);
}

TEST(ProgressTotal, AbsentEstimateShowsNoPercentage) {
  ProgressFigures figures;
  figures.snapshot.scanned = 250;
  figures.snapshot.written = 120;
  EXPECT_FALSE(figures.snapshot.shown_total());
  EXPECT_FALSE(contains(format_progress_bar(figures, 100), "%"));
  EXPECT_FALSE(contains(format_progress_log_line(figures), "%"));
}

}  // namespace
}  // namespace riot::host
