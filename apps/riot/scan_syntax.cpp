#include "scan_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_scan_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Scan");
  auto add = group.add_options();
  add("scan-count", po::value<std::int64_t>()->value_name("N")->default_value(defaults.scan_count),
      "Keys the source examines per SCAN call (SCAN COUNT).");
  add("key-pattern,scan-match",
      po::value<std::string>()->value_name("GLOB")->default_value(defaults.key_pattern),
      "Copy only the keys matching this glob pattern (SCAN MATCH). Alias: --scan-match.");
  add("key-type,scan-type", po::value<std::string>()->value_name("TYPE"),
      "Copy only the keys of this type (SCAN TYPE): string, list, set, zset, hash, stream or a "
      "module type name (default: every type). Alias: --scan-type.");
  add("key-slots", po::value<std::string>()->value_name("RANGES"),
      "Copy only the keys whose cluster hash slot lies in these ranges, e.g. "
      "0:5460,10923:16383 (default: every slot). Computed from each key, so it also splits a "
      "single server: several riot runs with disjoint ranges share one source.");
  options.add(group);
}

}  // namespace riot::app
