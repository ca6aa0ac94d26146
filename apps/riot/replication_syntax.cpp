#include "replication_syntax.hpp"

#include <string>

namespace riot::app {

void add_replication_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Replication");
  auto add = group.add_options();
  add("mode", po::value<std::string>()->value_name("MODE")->default_value(defaults.mode),
      "scan (alias: snapshot): copy every key once. live: subscribe to the source's "
      "changes, copy every key, then follow the changes until interrupted or idle. liveonly: "
      "follow the changes only, copying no key that does not change. compare: compare SOURCE "
      "with TARGET and change nothing (see --repair); exit code 4 when they differ. "
      "Case-insensitive.");
  add("type", po::value<std::string>()->value_name("TYPE")->default_value(defaults.types.type),
      "dump: copy keys with DUMP and RESTORE (strings with GET and SET, which costs the servers "
      "less). struct (alias: ds): copy each key by its type's commands (HGETALL, HSET, ...), "
      "for a target that refuses RESTORE or runs an older Redis, to merge into existing keys, "
      "or to copy big keys in chunks. Case-insensitive.");
  add("dry-run", po::bool_switch(),
      "Read everything, write nothing (sink.null); TARGET is not contacted.");
  add("no-replace", po::bool_switch(),
      "Do not overwrite keys the target already holds: each is left as it is and counted as "
      "left alone, not as a failure (exit code 0); the copy is not verified, since those keys "
      "would differ (default: overwrite).");
  add("print-pipeline", po::bool_switch(),
      "Print the pipeline document these options stand for on stdout and exit without running "
      "it. A password given on the command line or in a URI is written as it is (riot run "
      "needs it: keep the file private); one from a file or the environment as a reference "
      "({\"$file\": ...}, {\"$env\": ...}) that riot run resolves.");
  options.add(group);
}

}  // namespace riot::app
