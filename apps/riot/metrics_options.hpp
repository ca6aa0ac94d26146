#pragma once
// `--metrics-port` and `--metrics-address`: the Prometheus endpoint, a
// setting of the riot process rather than of a pipeline document (one
// endpoint serves every pipeline of the run, and two riot processes must not
// share a port that a document would fix).

#include <cstdint>
#include <optional>
#include <string>

#include "cli_options.hpp"

namespace riot::app {

inline constexpr const char* kDefaultMetricsAddress = "127.0.0.1";

struct MetricsOptions {
  std::optional<std::uint16_t> port;  // no endpoint when absent; 0: a free port
  std::string address = kDefaultMetricsAddress;
};

// Throws CommandLineError naming the option: a port outside 0..65535, an
// empty address, an address without a port.
MetricsOptions read_metrics_options(const po::variables_map& values);

}  // namespace riot::app
