#include "progress.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace riot::host {

namespace {

constexpr auto kBarPeriod = std::chrono::milliseconds(200);
constexpr auto kRateWindow = std::chrono::seconds(5);
constexpr std::size_t kDefaultTerminalWidth = 100;

ProgressMode resolve(ProgressMode mode) {
  if (mode != ProgressMode::automatic) return mode;
  return ::isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::log;
}

std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kDefaultTerminalWidth;
}

// The progress log of a host that gave none.
std::shared_ptr<spdlog::logger> timestamped_stderr_log() {
  auto log = std::make_shared<spdlog::logger>("progress",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
  log->set_pattern("[%Y-%m-%d %H:%M:%S.%e] %v");
  log->set_level(spdlog::level::info);
  return log;
}

double seconds_between(RateWindow::Clock::time_point from, RateWindow::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

void RateWindow::add(Clock::time_point when, std::uint64_t done) {
  samples_.emplace_back(when, done);
  // Keep one sample older than the window so that it always spans it.
  while (samples_.size() > 2 && when - samples_[1].first >= kRateWindow) samples_.pop_front();
}

double RateWindow::keys_per_second() const {
  if (samples_.size() < 2) return 0;
  const auto& [first_time, first_done] = samples_.front();
  const auto& [last_time, last_done] = samples_.back();
  const double seconds = seconds_between(first_time, last_time);
  if (seconds <= 0 || last_done < first_done) return 0;
  return static_cast<double>(last_done - first_done) / seconds;
}

ProgressReporter::ProgressReporter(ProgressMode mode, std::chrono::milliseconds log_interval,
                                   std::shared_ptr<spdlog::logger> log)
    : mode_(resolve(mode)),
      log_(log ? std::move(log) : timestamped_stderr_log()),
      period_(mode_ == ProgressMode::bar ? Clock::duration(kBarPeriod)
                                         : Clock::duration(log_interval)),
      start_(Clock::now()),
      last_output_(start_) {
  rate_.add(start_, 0);
  event_rate_.add(start_, 0);
}

ProgressFigures ProgressReporter::figures(const ProgressSnapshot& snapshot,
                                          Clock::time_point now) const {
  return ProgressFigures{snapshot, rate_.keys_per_second(), event_rate_.keys_per_second(),
                         seconds_between(start_, now)};
}

void ProgressReporter::update(const ProgressSnapshot& snapshot) {
  if (mode_ == ProgressMode::none) return;
  const auto now = Clock::now();
  if (now - last_output_ < period_) return;
  last_output_ = now;
  rate_.add(now, snapshot.done());
  if (snapshot.live) event_rate_.add(now, snapshot.live->events_received);
  if (mode_ == ProgressMode::bar) {
    draw_bar(figures(snapshot, now));
  } else {
    // A log line of its own, timestamped like the others: a log file or a
    // CI console read later tells when the run stood where.
    log_->info("{}", format_progress_log_line(figures(snapshot, now)));
  }
}

void ProgressReporter::finish(ProgressSnapshot snapshot, bool completed) {
  if (mode_ != ProgressMode::bar) return;
  // An estimate is only that (DBSIZE is an upper bound under a key filter):
  // a finished run ends at 100%.
  if (completed) snapshot.total = snapshot.done();
  const auto now = Clock::now();
  rate_.add(now, snapshot.done());
  draw_bar(figures(snapshot, now));
  std::fputs("\n", stderr);
}

void ProgressReporter::draw_bar(const ProgressFigures& figures) {
  // "\r" returns to the start of the line, "\033[K" erases what a longer
  // previous line left behind.
  const std::string line = "\r" + format_progress_bar(figures, terminal_width()) + "\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace riot::host
