#include "logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace riot::app {

namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::debug:
      return spdlog::level::debug;
  }
  return spdlog::level::warn;
}

}  // namespace

void configure_logging(LogLevel level) {
  auto logger = spdlog::stderr_color_mt("riot");
  // On a terminal the progress bar may be half drawn on the current line:
  // "\r\033[K" erases it so that the message starts on a clean line (the bar
  // is redrawn below at its next tick).
  const char* clear_line = ::isatty(STDERR_FILENO) ? "\r\033[K" : "";
  logger->set_pattern(std::string(clear_line) + "[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v");
  logger->set_level(to_spdlog(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace riot::app
