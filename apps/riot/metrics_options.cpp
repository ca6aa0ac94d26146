#include "metrics_options.hpp"

#include "option_values.hpp"
#include "usage_error.hpp"

namespace riot::app {

MetricsOptions read_metrics_options(const po::variables_map& values) {
  MetricsOptions options;
  if (values.count("metrics-port")) {
    options.port = static_cast<std::uint16_t>(read_bounded(values, "metrics-port", 0, 65535));
  }
  options.address = values["metrics-address"].as<std::string>();
  if (options.address.empty()) throw CommandLineError("--metrics-address: the address is empty");
  if (!options.port && option_given(values, "metrics-address")) {
    throw CommandLineError("--metrics-address needs --metrics-port (0 picks a free port)");
  }
  return options;
}

}  // namespace riot::app
