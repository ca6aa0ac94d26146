#include "read_from_option.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

struct ReadFromSpelling {
  std::string_view spelling;  // lower case, '-' for '_'
  std::string_view canonical;
};

constexpr std::array kSpellings{
    ReadFromSpelling{"master", "master"},
    ReadFromSpelling{"upstream", "master"},
    ReadFromSpelling{"replica", "replica"},
    ReadFromSpelling{"slave", "replica"},
    // Lettuce's ANY_REPLICA reads from any replica of the shard: riot's
    // replica spreads its reader threads over them all.
    ReadFromSpelling{"any-replica", "replica"},
    ReadFromSpelling{"replica-preferred", "replica-preferred"},
    ReadFromSpelling{"slave-preferred", "replica-preferred"},
    ReadFromSpelling{"any", "any"},
};

}  // namespace

std::string read_from_option(const std::string& text) {
  std::string name = lowercase(text);
  std::replace(name.begin(), name.end(), '_', '-');
  for (const auto& [spelling, canonical] : kSpellings)
    if (name == spelling) return std::string(canonical);
  const std::string option = "--read-from " + text;
  if (name == "master-preferred" || name == "upstream-preferred")
    throw CommandLineError(
        option +
        " (the master, or a replica while the master is down) has no riot equivalent: riot "
        "reads from the master and follows the failover that promotes a replica; use master "
        "(the default), or replica-preferred or any to read from replicas too");
  if (name == "lowest-latency" || name == "nearest")
    throw CommandLineError(option +
                           " has no riot equivalent: riot does not measure the latency of nodes; "
                           "use any (reads spread over every node of a shard), replica or "
                           "replica-preferred");
  throw CommandLineError("invalid value '" + text +
                         "' for --read-from: expected master, replica, replica-preferred or any "
                         "(RIOT's upstream, slave, slave_preferred and any_replica are accepted "
                         "too)");
}

}  // namespace riot::app
