#include "compare_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_compare_options(po::options_description& options, const CompareOptions& defaults) {
  po::options_description group(
      "Comparison (--mode compare, and the verification after a copy; see docs/compare.md)");
  auto add = group.add_options();
  add("no-verify", po::bool_switch(),
      "Do not compare the target with the source after a snapshot, or after a live run ended by "
      "--idle-timeout (default: verify, exit code 4 when they differ).");
  add("compare", po::value<std::string>()->value_name("DEPTH")->default_value(defaults.depth),
      "full: compare values by type (DUMP equality as a fast path only; sets, hashes and "
      "sorted sets in any order). quick: compare existence, type, TTL and size (STRLEN, HLEN, "
      "LLEN, SCARD, ZCARD, XLEN) only. Case-insensitive.");
  add("ttl-tolerance",
      po::value<std::int64_t>()->value_name("MS")->default_value(defaults.ttl_tolerance_ms),
      "Expiries further apart than MS milliseconds are a ttl difference.");
  add("show-diffs", po::bool_switch(),
      "Print each difference on stdout as it is found: its class, the key and a detail (the "
      "first differing field or index, both TTLs, both types or sizes).");
  add("diff-report", po::value<std::string>()->value_name("FILE"),
      "Write every difference to FILE as JSON lines, for tooling (created or truncated; "
      "default: none).");
  add("repair", po::bool_switch(),
      "After comparing, copy every key found missing or different from the source again, then "
      "compare those keys again; exit code 4 only for differences left (default: change "
      "nothing).");
  add("repair-extra", po::bool_switch(),
      "--repair, and delete the keys only the target holds (among those the filters select).");
  options.add(group);
}

}  // namespace riot::app
