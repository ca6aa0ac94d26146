#include "logging_syntax.hpp"

namespace riot::app {

void add_logging_options(po::options_description& global) {
  auto add = global.add_options();
  add("log-level", po::value<std::string>()->value_name("LEVEL"),
      "Log level: trace, debug, info, warn, error or off (default: warn; what -q, -i and -d "
      "set, which it cannot be combined with). Case-insensitive. Lines are coloured only on a "
      "terminal and when $NO_COLOR is not set.");
  add("log-file", po::value<std::string>()->value_name("FILE"),
      "Also write every log line, the progress log lines and the fatal error to FILE "
      "(appended to, created when missing; no colour; default: stderr only).");
}

}  // namespace riot::app
