#include "replicate_syntax.hpp"

#include "compare_syntax.hpp"
#include "connection_syntax.hpp"
#include "key_selection_syntax.hpp"
#include "live_syntax.hpp"
#include "rate_syntax.hpp"
#include "replicate_options.hpp"
#include "replication_syntax.hpp"
#include "report_syntax.hpp"
#include "retry_syntax.hpp"
#include "scan_syntax.hpp"
#include "secret_syntax.hpp"
#include "sentinel_syntax.hpp"
#include "stage_syntax.hpp"
#include "tls_syntax.hpp"
#include "type_syntax.hpp"

namespace riot::app {

CommandSyntax replicate_command_syntax() {
  const ReplicateOptions defaults;
  CommandSyntax syntax;
  syntax.name = "replicate";
  syntax.usage = "riot [GLOBAL OPTIONS] replicate [OPTIONS] SOURCE TARGET";
  syntax.description =
      "Copies the keys of SOURCE into TARGET: SCAN on the source, DUMP and PTTL of\n"
      "every key, RESTORE with the TTL it has left on the target (strings by GET and\n"
      "SET; with --type struct every key by its type's commands). With --mode live it\n"
      "then follows the source's changes (keyspace notifications) until cut-over.\n"
      "SOURCE and TARGET are Redis URIs: redis://[[user]:password@]host[:port][/db],\n"
      "rediss://... (TLS), redis-socket:///path/to.sock, host:port, or the Redis\n"
      "Sentinels that watch the server: redis-sentinel://host:port[,host:port...][/db]\n"
      "?master=NAME. RIOT's command lines (riot-redis -h HOST -p PORT replicate -h\n"
      "HOST2 ..., riotx replicate ...) run unchanged: see docs/cli.md, \"Coming from\n"
      "RIOT\". The options map onto a pipeline document, run exactly as `riot run`\n"
      "would run it (see --print-pipeline).\n"
      "A snapshot, and a live run ended by --idle-timeout, are then verified: the target\n"
      "is compared with the source (--mode compare does only that; see --no-verify).";
  add_replication_options(syntax.options, defaults);
  add_type_options(syntax.options, defaults.types);
  add_scan_options(syntax.options, defaults);
  add_key_selection_options(syntax.options);
  add_live_options(syntax.options, defaults);
  add_compare_options(syntax.options, defaults.compare);
  add_stage_options(syntax.options, defaults);
  add_connection_options(syntax.options, defaults);
  add_retry_options(syntax.options, defaults);
  add_tls_options(syntax.options);
  add_secret_options(syntax.options);
  add_rate_options(syntax.options);
  add_report_options(syntax.options);
  add_sentinel_options(syntax.options);
  auto add_argument = syntax.arguments.add_options();
  add_argument("source", po::value<std::string>(), "SOURCE URI");
  add_argument("target", po::value<std::string>(), "TARGET URI");
  syntax.positional.add("source", 1).add("target", 1);
  syntax.epilog =
      "Examples:\n"
      "  riot replicate redis://source:6379 rediss://default:pw@target:12000\n"
      "  riot replicate redis://localhost:6379/3 redis://localhost:6380/5 --key-pattern 'user:*'\n"
      "  riot replicate redis://src redis://dst --print-pipeline > pipeline.json\n"
      "  riot replicate redis://source:6379 redis://target:6379 --mode live\n"
      "  riot replicate redis://source:6379 redis://target:6379 --mode live --idle-timeout 60000\n"
      "  riot replicate redis://source:6379 redis://crdb:12000 --type struct --merge-policy "
      "merge --no-verify\n"
      "  riot replicate redis://source:6379 redis://target:6379 --mode compare --show-diffs\n"
      "  riot replicate redis://source:6379 redis://target:6379 --mode compare --repair\n"
      "  riot-redis -h source -p 6379 replicate -h target -p 6380 --live   (RIOT's form)\n"
      "  riot replicate 'redis-sentinel://s1:26379,s2:26379?master=mymaster' redis://target:6379\n";
  return syntax;
}

}  // namespace riot::app
