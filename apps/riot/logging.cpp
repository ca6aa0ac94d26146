#include "logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "usage_error.hpp"

namespace riot::app {

namespace {

constexpr const char* kTimestamp = "[%Y-%m-%d %H:%M:%S.%e] ";

// Loggers made by configure_logging beside the default one.
std::shared_ptr<spdlog::logger> g_progress_logger;
std::shared_ptr<spdlog::logger> g_file_logger;

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::off:
      return spdlog::level::off;
  }
  return spdlog::level::warn;
}

spdlog::sink_ptr stderr_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(
      stderr_wants_colour() ? spdlog::color_mode::automatic : spdlog::color_mode::never);
  // On a terminal the progress bar may be half drawn on the current line:
  // "\r\033[K" erases it so that the message starts on a clean line (the bar
  // is redrawn below at its next tick).
  const char* clear_line = ::isatty(STDERR_FILENO) ? "\r\033[K" : "";
  sink->set_pattern(std::string(clear_line) + kTimestamp + "[%^%l%$] %v");
  return sink;
}

// Opened here rather than by spdlog, whose error would not name the option.
spdlog::sink_ptr file_sink(const std::string& path) {
  if (std::FILE* probe = std::fopen(path.c_str(), "a")) {
    std::fclose(probe);
  } else {
    throw UsageError("--log-file: cannot open '" + path +
                     "' for appending: " + std::strerror(errno));
  }
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/false);
  sink->set_pattern(std::string(kTimestamp) + "[%l] %v");
  return sink;
}

std::shared_ptr<spdlog::logger> make_logger(const char* name,
                                            const std::vector<spdlog::sink_ptr>& sinks,
                                            spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);  // a line per event at most: a tail -f sees it
  return logger;
}

}  // namespace

bool stderr_wants_colour() {
  return std::getenv("NO_COLOR") == nullptr && ::isatty(STDERR_FILENO);
}

void configure_logging(LogLevel level, const std::optional<std::string>& log_file) {
  std::vector<spdlog::sink_ptr> sinks{stderr_sink()};
  if (log_file) {
    sinks.push_back(file_sink(*log_file));
    g_file_logger = make_logger("riot.file", {sinks.back()}, spdlog::level::trace);
  }
  g_progress_logger = make_logger("riot.progress", sinks, spdlog::level::info);
  spdlog::set_default_logger(make_logger("riot", sinks, to_spdlog(level)));
}

std::shared_ptr<spdlog::logger> progress_logger() {
  return g_progress_logger;
}

void log_error_to_file(const std::string& line) {
  if (g_file_logger) g_file_logger->error("{}", line);
}

}  // namespace riot::app
