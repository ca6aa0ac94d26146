#include "replicate_syntax.hpp"

#include <cstdint>
#include <string>

#include "replicate_options.hpp"
#include "sentinel_syntax.hpp"

namespace riot::app {

namespace {

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
      "Do not overwrite keys the target already holds: such keys fail with BUSYKEY and are "
      "reported (default: overwrite).");
  add("print-pipeline", po::bool_switch(),
      "Print the pipeline document these options stand for on stdout and exit without running "
      "it. The document holds any password given (riot run needs them): keep it private.");
  options.add(group);
}

void add_live_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto milliseconds = [] { return po::value<std::int64_t>()->value_name("MS"); };
  po::options_description group("Live replication (--mode live and liveonly; see docs/live.md)");
  auto add = group.add_options();
  add("idle-timeout,idle", milliseconds(),
      "End once no change came for MS milliseconds and every change read is written (exit 0). "
      "Alias: --idle. Default: none, follow until interrupted (SIGINT, SIGTERM); 0: none.");
  add("flush-interval,flush", milliseconds()->default_value(defaults.live.flush_interval_ms),
      "The longest a partial batch of changes may wait before it is handed on; batches never "
      "wait to fill up otherwise. Alias: --flush.");
  add("event-queue",
      po::value<std::int64_t>()->value_name("N")->default_value(defaults.live.event_queue),
      "Change notifications that may wait unread; beyond that riot says so and reconciles "
      "the source with the target, while it goes on following changes.");
  add("event-order",
      po::value<std::string>()->value_name("ORDER")->default_value(defaults.live.event_order),
      "fifo: keys are read in the order they arrive, notified or scanned; priority: notified "
      "changes are read before waiting scanned keys (lower lag during the scan). "
      "Case-insensitive.");
  options.add(group);
}

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

void add_stage_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto count = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("N")->default_value(default_value);
  };
  po::options_description group("Reading and writing");
  auto add = group.add_options();
  add("read-threads,read-pool,source-pool", count(defaults.read_threads),
      "Reader threads, each with its own source connection. Aliases: --read-pool, "
      "--source-pool.");
  add("read-from", po::value<std::string>()->value_name("NODE")->default_value(defaults.read_from),
      "On a source cluster, the node of each shard that is scanned and read: master, replica "
      "(each shard must have one), replica-preferred (a replica when there is one) or any.");
  add("read-batch", count(defaults.read_batch), "Keys per read batch (one pipelined round trip).");
  add("read-queue", count(defaults.read_queue),
      "Keys that may wait for the readers; a full queue pauses the scan.");
  add("write-threads,target-pool", count(defaults.write_threads),
      "Writer threads, each with its own target connection. Alias: --target-pool.");
  add("write-batch", count(defaults.write_batch),
      "Records per write batch (one pipelined round trip).");
  add("write-queue", count(defaults.write_queue),
      "Records that may wait for the writers; a full queue pauses the readers.");
  options.add(group);
}

void add_connection_options(po::options_description& options, const ReplicateOptions& defaults) {
  const auto milliseconds = [](std::int64_t default_value) {
    return po::value<std::int64_t>()->value_name("MS")->default_value(default_value);
  };
  po::options_description group("Connections");
  auto add = group.add_options();
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    add((prefix + "-user").c_str(), po::value<std::string>()->value_name("USER"),
        ("ACL user for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-pass").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password for the " + prefix + " (overrides the URI's).").c_str());
    add((prefix + "-client-name").c_str(), po::value<std::string>()->value_name("NAME"),
        ("CLIENT SETNAME on " + prefix + " connections (default: riot).").c_str());
    add((prefix + "-cluster").c_str(), po::bool_switch(),
        ("The " + prefix +
         " is a Redis Cluster; riot refuses a server that says otherwise "
         "(default: ask the server with INFO cluster).")
            .c_str());
  }
  add("connect-timeout", milliseconds(defaults.connect_timeout_ms),
      "Connection timeout in milliseconds, both sides.");
  add("timeout,command-timeout", milliseconds(defaults.command_timeout_ms),
      "Command timeout in milliseconds, both sides. Alias: --command-timeout.");
  options.add(group);
}

void add_retry_options(po::options_description& options, const ReplicateOptions& defaults) {
  po::options_description group("Retries (see docs/fault-tolerance.md)");
  auto add = group.add_options();
  add("retry", po::value<std::int64_t>()->value_name("N")->default_value(defaults.retries),
      "Retries of a failed operation, on both sides, before riot gives up: a lost connection "
      "or a timeout (reconnect and re-send what was not acknowledged), or keys refused for a while "
      "(OOM, LOADING, BUSY, TRYAGAIN, CLUSTERDOWN, or a cluster redirection that did not settle: "
      "re-send those keys). 0: no retry.");
  add("retry-delay",
      po::value<std::int64_t>()->value_name("MS")->default_value(defaults.retry_delay_ms),
      "Wait before the first retry in milliseconds; it doubles at each further retry, up to 5000 "
      "ms (or MS, if larger).");
  options.add(group);
}

void add_tls_options(po::options_description& options) {
  po::options_description group("TLS (a rediss:// URI turns TLS on)");
  auto add = group.add_options();
  const auto file = [] { return po::value<std::string>()->value_name("FILE"); };
  for (const char* side : {"source", "target"}) {
    const std::string prefix = side;
    const std::string option = "--" + prefix + "-";
    add((prefix + "-tls").c_str(), po::bool_switch(),
        ("Connect to the " + prefix + " with TLS, whatever its URI's scheme (default: off).")
            .c_str());
    add((prefix + "-insecure").c_str(), po::bool_switch(),
        ("Do not verify the " + prefix + "'s certificate: the same as " + option +
         "tls-verify none (default: off).")
            .c_str());
    add((prefix + "-tls-verify").c_str(),
        po::value<std::string>()->value_name("MODE")->default_value("full"),
        ("What TLS checks of the " + prefix +
         "'s certificate: full (the chain up to a trusted CA, and the host name or IP address), "
         "ca (the chain only) or none.")
            .c_str());
    add((prefix + "-cacert").c_str(), file(),
        ("PEM file of the CA certificates trusted for the " + prefix +
         " (default: the system's CA certificates).")
            .c_str());
    add((prefix + "-cert").c_str(), file(),
        ("PEM client certificate for mutual TLS with the " + prefix + "; needs " + option +
         "key (default: none).")
            .c_str());
    add((prefix + "-key").c_str(), file(),
        ("PEM private key of " + option +
         "cert: PKCS#8 or traditional, possibly encrypted (default: none).")
            .c_str());
    add((prefix + "-key-pwd").c_str(), po::value<std::string>()->value_name("PASSWORD"),
        ("Password of an encrypted " + option + "key (default: none).").c_str());
  }
  options.add(group);
}

}  // namespace

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
      "rediss://... (TLS), redis-socket:///path/to.sock, or the Redis Sentinels that\n"
      "watch the server: redis-sentinel://host:port[,host:port...][/db]?master=NAME.\n"
      "The options map onto a\n"
      "pipeline document, run exactly as `riot run` would run it (see --print-pipeline).\n"
      "A snapshot, and a live run ended by --idle-timeout, are then verified: the target\n"
      "is compared with the source (--mode compare does only that; see --no-verify).";
  add_replication_options(syntax.options, defaults);
  add_type_options(syntax.options, defaults.types);
  add_scan_options(syntax.options, defaults);
  add_live_options(syntax.options, defaults);
  add_compare_options(syntax.options, defaults.compare);
  add_stage_options(syntax.options, defaults);
  add_connection_options(syntax.options, defaults);
  add_retry_options(syntax.options, defaults);
  add_tls_options(syntax.options);
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
      "  riot replicate 'redis-sentinel://s1:26379,s2:26379?master=mymaster' redis://target:6379\n";
  return syntax;
}

}  // namespace riot::app
