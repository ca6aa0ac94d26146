#pragma once
// `--rate` and `--rate-bytes` read into the runtime settings every pipeline
// of the document gets (runtime.rate_keys and runtime.rate_bytes).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli_options.hpp"

namespace riot::app {

struct RateOptions {
  std::uint64_t keys_per_second = 0;   // 0: no limit
  std::uint64_t bytes_per_second = 0;  // 0: no limit
};

// "2000", "5k", "1m": keys per second. Throws CommandLineError naming
// `option`.
std::uint64_t parse_key_rate(std::string_view option, const std::string& text);
// "1048576", "512K", "10M", "1G" (also "10MB", "10MiB"; powers of 1024).
// Throws CommandLineError naming `option`.
std::uint64_t parse_byte_rate(std::string_view option, const std::string& text);

RateOptions read_rate_options(const po::variables_map& values);

// Sets the limits in the runtime settings of every pipeline of `document`
// (either form); no limit leaves the document as it is.
void apply_rate_options(const RateOptions& rates, nlohmann::json& document);

}  // namespace riot::app
