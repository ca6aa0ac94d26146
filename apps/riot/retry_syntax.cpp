#include "retry_syntax.hpp"

#include <cstdint>
#include <string>

#include "riot/redis/errors.hpp"

namespace riot::app {

void add_retry_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Retries (see docs/fault-tolerance.md)");
  auto add = group.add_options();
  const std::string retry_help =
      "Retries of a failed operation, on both sides, before riot gives up: a lost connection "
      "or a timeout (reconnect and re-send what was not acknowledged), or keys refused for a "
      "while (the error replies " +
      redis::transient_error_replies_text() + ": re-send those keys). 0: no retry.";
  add("retry", po::value<std::int64_t>()->value_name("N")->default_value(defaults.retries),
      retry_help.c_str());
  add("retry-delay",
      po::value<std::int64_t>()->value_name("MS")->default_value(defaults.retry_delay_ms),
      "Wait before the first retry in milliseconds; it doubles at each further retry, up to 5000 "
      "ms (or MS, if larger).");
  options.add(group);
}

}  // namespace riot::app
