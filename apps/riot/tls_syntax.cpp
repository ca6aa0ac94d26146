#include "tls_syntax.hpp"

#include <string>

namespace riot::app {

void add_tls_options(po::options_description& options) {
  po::options_description group("TLS (a rediss:// URI turns TLS on)");
  auto add = group.add_options();
  const auto file = [] { return po::value<std::string>()->value_name("FILE"); };
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    const std::string option = "--" + prefix + "-";
    add((prefix + "-tls").c_str(), po::bool_switch(),
        ("Connect to the " + prefix + " with TLS, whatever its URI's scheme (default: off).")
            .c_str());
    add((prefix + "-insecure").c_str(), po::bool_switch(),
        ("Do not verify the " + prefix + "'s certificate: the same as " + option +
         "tls-verify none (default: off).")
            .c_str());
    add((prefix + "-tls-verify").c_str(),
        po::value<std::string>()->value_name("MODE")->default_value("full"),
        ("What TLS checks of the " + prefix +
         "'s certificate: full (the chain up to a trusted CA, and the host name or IP address), "
         "ca (the chain only) or none.")
            .c_str());
    add((prefix + "-cacert").c_str(), file(),
        ("PEM file of the CA certificates trusted for the " + prefix +
         " (default: the system's CA certificates).")
            .c_str());
    add((prefix + "-cert").c_str(), file(),
        ("PEM client certificate for mutual TLS with the " + prefix + "; needs " + option +
         "key (default: none).")
            .c_str());
    add((prefix + "-key").c_str(), file(),
        ("PEM private key of " + option +
         "cert: PKCS#8 or traditional, possibly encrypted (default: none).")
            .c_str());
    add((prefix + "-key-pwd").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password of an encrypted " + option + "key (default: none).").c_str());
  }
  options.add(group);
}

}  // namespace riot::app
