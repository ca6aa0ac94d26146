#include "connection_options.hpp"

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

constexpr std::int64_t kMaxTimeoutMs = 24 * 3600 * 1000;  // a day
constexpr std::int64_t kMaxRetries = 1000000;             // the retry schema's bound

// The command timeout: --command-timeout MS, or --timeout in RIOT's unit
// (seconds, or a number with a unit), which RIOT's command lines carry.
std::int64_t read_command_timeout(const po::variables_map& values) {
  if (!option_given(values, "timeout"))
    return read_bounded(values, "command-timeout", 1, kMaxTimeoutMs);
  if (option_given(values, "command-timeout"))
    throw CommandLineError(
        "--timeout and --command-timeout both set the command timeout: give one (--timeout in "
        "seconds, --command-timeout in milliseconds)");
  const std::int64_t milliseconds =
      parse_duration_ms(values["timeout"].as<std::string>(), "--timeout", DurationUnit::seconds);
  if (milliseconds < 1 || milliseconds > kMaxTimeoutMs)
    throw CommandLineError("invalid value '" + values["timeout"].as<std::string>() +
                           "' for --timeout: must be between 1 ms and " +
                           std::to_string(kMaxTimeoutMs / 1000) + " seconds");
  return milliseconds;
}

}  // namespace

void read_connection_options(const po::variables_map& values, ReplicateOptions& options) {
  options.connect_timeout_ms = read_bounded(values, "connect-timeout", 1, kMaxTimeoutMs);
  options.command_timeout_ms = read_command_timeout(values);
  options.retries = read_bounded(values, "retry", 0, kMaxRetries);
  options.retry_delay_ms = read_bounded(values, "retry-delay", 0, kMaxTimeoutMs);
}

}  // namespace riot::app
