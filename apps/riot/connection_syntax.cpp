#include "connection_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_connection_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto milliseconds = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("MS")->default_value(default_value);
  };
  po::options_description group("Connections");
  auto add = group.add_options();
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    add((prefix + "-user").c_str(), po::value<std::string>()->value_name("USER"),
        ("ACL user for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-pass").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-client-name").c_str(), po::value<std::string>()->value_name("NAME"),
        ("CLIENT SETNAME on " + prefix + " connections (default: riot).").c_str());
    add((prefix + "-cluster").c_str(), po::bool_switch(),
        ("The " + prefix +
         " is a Redis Cluster; riot refuses a server that says otherwise "
         "(default: ask the server with INFO cluster).")
            .c_str());
  }
  add("connect-timeout", milliseconds(defaults.connect_timeout_ms),
      "Connection timeout in milliseconds, both sides.");
  add("command-timeout", milliseconds(defaults.command_timeout_ms),
      "Command timeout in milliseconds, both sides.");
  // RIOT's --timeout is in seconds: a RIOT command line keeps its meaning.
  add("timeout", po::value<std::string>()->value_name("SECONDS"),
      ("Command timeout in seconds, as RIOT's --timeout (or with a unit: 500ms, 30s, 5m); the "
       "same as --command-timeout in milliseconds (default: " +
       std::to_string(defaults.command_timeout_ms / 1000) + ", --command-timeout's).")
          .c_str());
  options.add(group);
}

}  // namespace riot::app
