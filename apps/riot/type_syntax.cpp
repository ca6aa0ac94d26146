#include "type_syntax.hpp"

#include <cstdint>
#include <string>

namespace riot::app {

void add_type_options(po::options_description& options, const TypeOptions& defaults) {
  po::options_description group("Types and big keys (see docs/recipes.md)");
  auto add = group.add_options();
  add("merge-policy,merge",
      po::value<std::string>()->value_name("POLICY")->default_value(defaults.merge_policy),
      "--type struct: overwrite replaces a key the target holds as a whole, atomically; merge "
      "adds the source's fields, members, elements and entries to it. Alias: --merge.");
  add("stream-id",
      po::value<std::string>()->value_name("POLICY")->default_value(defaults.stream_ids),
      "--type struct: propagate keeps the source's stream entry ids (and the streams' last id "
      "and consumer groups); drop lets the target assign new ids.");
  add("mem-limit", po::value<std::int64_t>()->value_name("MB"),
      "Keys whose MEMORY USAGE exceeds MB mebibytes are big. --type dump: a big key is skipped "
      "and reported by name and size, or copied in chunks (--mem-limit-policy). --type struct: "
      "a big key is copied in chunks, so riot never holds it whole. Default: none (0) with "
      "--type dump; codec.struct's chunk threshold with --type struct (0: every key whole).");
  add("mem-samples",
      po::value<std::int64_t>()->value_name("N")->default_value(defaults.mem_samples),
      "Nested values MEMORY USAGE samples per key (MEMORY USAGE ... SAMPLES N; 0: all of them, "
      "which costs the source a walk of each key).");
  add("mem-limit-policy",
      po::value<std::string>()->value_name("POLICY")->default_value(defaults.mem_limit_policy),
      "--type dump: what becomes of a key over --mem-limit. skip: not copied, reported by name "
      "and size in the log and the summary (as RIOT does); struct: copied in chunks through its "
      "type's commands.");
  add("no-string-fast-path", po::bool_switch(),
      "--type dump: copy strings with DUMP and RESTORE too (default: GET and SET, which cost "
      "the servers less; see docs/performance.md).");
  options.add(group);
}

}  // namespace riot::app
