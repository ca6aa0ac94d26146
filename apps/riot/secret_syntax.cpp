#include "secret_syntax.hpp"

#include <string>

#include "secret_options.hpp"

namespace riot::app {

void add_secret_options(po::options_description& options) {
  po::options_description group(
      "Secrets (kept off the command line; see docs/cli.md#secrets for the precedence)");
  auto add = group.add_options();
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    add((prefix + "-pass-file").c_str(), po::value<std::string>()->value_name("FILE"),
        ("Read the " + prefix +
         "'s password from the first line of FILE (its line end stripped). Below --" + prefix +
         "-pass and the URI's password, above $" + password_variable(prefix) + ", then $" +
         kRedisCliAuthVariable + ", which riot reads when no other password is given " +
         "(default: none).")
            .c_str());
    add((prefix + "-key-pwd-file").c_str(), po::value<std::string>()->value_name("FILE"),
        ("Read the password of --" + prefix + "-key from the first line of FILE. Below --" +
         prefix + "-key-pwd, above $" + key_password_variable(prefix) + " (default: none).")
            .c_str());
    add((prefix + "-sentinel-pass-file").c_str(), po::value<std::string>()->value_name("FILE"),
        ("Read the password of the " + prefix +
         "'s sentinels from the first line of FILE. Below --" + prefix + "-sentinel-pass, above $" +
         sentinel_password_variable(prefix) + " (default: none).")
            .c_str());
  }
  options.add(group);
}

}  // namespace riot::app
