#include "sentinel_syntax.hpp"

#include <string>

namespace riot::app {

void add_sentinel_options(po::options_description& options) {
  po::options_description group(
      "Redis Sentinel (a redis-sentinel:// URI names the sentinels; see docs/sentinel.md)");
  auto add = group.add_options();
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    add((prefix + "-sentinel-master").c_str(), po::value<std::string>()->value_name("NAME"),
        ("Name of the master the sentinels watch for the " + prefix +
         ": overrides the ?master= of a redis-sentinel:// " + prefix +
         " URI, or makes the host:port of a redis:// one a sentinel (default: the URI's).")
            .c_str());
    add((prefix + "-sentinel-user").c_str(), po::value<std::string>()->value_name("USER"),
        ("ACL user for AUTH on the " + prefix +
         "'s sentinels; the URI's user is the servers' (default: none).")
            .c_str());
    add((prefix + "-sentinel-pass").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password for AUTH on the " + prefix +
         "'s sentinels (their requirepass); the URI's password is the servers' (default: none).")
            .c_str());
  }
  options.add(group);
}

}  // namespace riot::app
