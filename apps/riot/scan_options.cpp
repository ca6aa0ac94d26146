#include "scan_options.hpp"

#include <limits>
#include <stdexcept>

#include "option_values.hpp"
#include "riot/redis/cluster/slot.hpp"
#include "usage_error.hpp"

namespace riot::app {

namespace {

constexpr std::int64_t kMaxScanCount = std::numeric_limits<std::int32_t>::max();

// --key-slots in canonical form; nothing when absent.
std::optional<std::string> read_key_slots(const po::variables_map& values) {
  const std::optional<std::string> text = read_optional(values, "key-slots");
  if (!text) return std::nullopt;
  try {
    return redis::cluster::SlotSet::parse(*text).to_string();
  } catch (const std::invalid_argument& error) {
    throw CommandLineError("invalid value '" + *text + "' for --key-slots: " + error.what());
  }
}

}  // namespace

void read_scan_options(const po::variables_map& values, ReplicateOptions& options) {
  options.scan_count = read_bounded(values, "scan-count", 1, kMaxScanCount);
  options.key_pattern = values["key-pattern"].as<std::string>();
  options.key_type = read_optional(values, "key-type");
  if (options.key_type && options.key_type->empty()) {
    throw CommandLineError("invalid value '' for --key-type: expected a type name such as hash");
  }
  options.key_slots = read_key_slots(values);
}

}  // namespace riot::app
