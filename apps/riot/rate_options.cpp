#include "rate_options.hpp"

#include <cctype>
#include <initializer_list>
#include <string>

#include "option_values.hpp"
#include "riot/host/pipeline_spec.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

struct Suffix {
  std::string_view text;
  std::uint64_t factor;
};

// A whole number followed by one of `suffixes` (or none), at most `maximum`
// once multiplied.
std::uint64_t parse_scaled(std::string_view option, const std::string& text,
                           std::initializer_list<Suffix> suffixes, std::uint64_t maximum,
                           std::string_view expected) {
  const auto refuse = [&](const std::string& why) {
    return CommandLineError("--" + std::string(option) + " '" + text + "': " + why);
  };
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 18) throw refuse("expected " + std::string(expected));
  const std::uint64_t number = std::stoull(text.substr(0, digits));
  const std::string suffix = lowercase(text.substr(digits));
  std::uint64_t factor = 0;
  for (const Suffix& known : suffixes) {
    if (suffix == known.text) factor = known.factor;
  }
  if (factor == 0) throw refuse("unknown suffix; expected " + std::string(expected));
  if (number > maximum / factor) {
    throw refuse("more than the maximum " + std::to_string(maximum) + " per second");
  }
  return number * factor;
}

}  // namespace

std::uint64_t parse_key_rate(std::string_view option, const std::string& text) {
  return parse_scaled(option, text, {{"", 1}, {"k", 1000}, {"m", 1000000}}, host::kMaxRateKeys,
                      "keys per second, such as 2000 or 5k (0: no limit)");
}

std::uint64_t parse_byte_rate(std::string_view option, const std::string& text) {
  constexpr std::uint64_t kKiB = 1024;
  return parse_scaled(option, text,
                      {{"", 1},
                       {"b", 1},
                       {"k", kKiB},
                       {"kb", kKiB},
                       {"kib", kKiB},
                       {"m", kKiB * kKiB},
                       {"mb", kKiB * kKiB},
                       {"mib", kKiB * kKiB},
                       {"g", kKiB * kKiB * kKiB},
                       {"gb", kKiB * kKiB * kKiB},
                       {"gib", kKiB * kKiB * kKiB}},
                      host::kMaxRateBytes,
                      "bytes per second, such as 1048576, 512K, 10M or 1G (0: no limit)");
}

RateOptions read_rate_options(const po::variables_map& values) {
  RateOptions rates;
  if (const auto text = read_optional(values, "rate"))
    rates.keys_per_second = parse_key_rate("rate", *text);
  if (const auto text = read_optional(values, "rate-bytes"))
    rates.bytes_per_second = parse_byte_rate("rate-bytes", *text);
  return rates;
}

void apply_rate_options(const RateOptions& rates, nlohmann::json& document) {
  const auto apply = [&](nlohmann::json& pipeline) {
    if (rates.keys_per_second > 0) pipeline["runtime"]["rate_keys"] = rates.keys_per_second;
    if (rates.bytes_per_second > 0) pipeline["runtime"]["rate_bytes"] = rates.bytes_per_second;
  };
  if (document.contains("pipelines")) {
    for (nlohmann::json& pipeline : document["pipelines"]) apply(pipeline);
  } else {
    apply(document);
  }
}

}  // namespace riot::app
