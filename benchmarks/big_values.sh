#!/usr/bin/env bash
# Peak memory of riot on big values, beside the bound docs/pipeline.md
# promises. See benchmarks/README.md.
#
#   benchmarks/big_values.sh [CASE...]        CASE: a b c d (default: all)
#
# Cases (values are random, incompressible bytes, string keys):
#   a: one string of 300 MiB;
#   b: 64 strings of 32 MiB, default settings;
#   c: the same with --read-batch 16;
#   d: one string of 512 MiB, with the target's proto-max-bulk-len raised to
#      1gb (its DUMP payload is 16 bytes over the default 512mb).
# Each case starts its own source and target redis-server, fills the source,
# runs `riot replicate` under /usr/bin/time, checks that every key arrived,
# stops the servers and prints one line: the keys, the value size, riot's
# peak resident memory and the bound, computed from the pipeline riot runs
# (--print-pipeline) as docs/pipeline.md states it:
#   (reader threads + sink threads) x max(batch_bytes, largest value)
#   + max(queue_bytes of the sinks, largest value)
# (and never more than the values copied) plus riot's own baseline (its code and connections: BASELINE_MB, 16).
#
# Environment: RIOT_BUILD_DIR (build: where bin/riot and riot-bench-fill
# are; point it at another build to measure that one), RIOT_TIMEOUT (600 s).
# The runs are memory-bound, not timing-sensitive; the machine needs about
# four times the largest value free (source, target, riot).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli python3 /usr/bin/time
riot_timeout=${RIOT_TIMEOUT:-600}
baseline_mb=${BASELINE_MB:-16}
mib=1048576

# shellcheck source=scripts/redis-servers.sh
source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR

# The bound in MiB for the pipeline riot prints with these options.
bound_mib() {
  local value_bytes=$1 keys=$2
  shift 2
  "$riot" replicate redis://127.0.0.1:1 redis://127.0.0.1:2 --print-pipeline "$@" |
    python3 -c '
import json, sys
value, keys, baseline = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
document = json.load(sys.stdin)
pipeline = document["pipelines"][0] if "pipelines" in document else document
stages = pipeline["stages"]
reader, sink = stages["reader"], stages["sink"]
workers = reader.get("threads", 4) + sink.get("threads", 4)
batch = max(reader.get("batch_bytes", 2 << 20), sink.get("batch_bytes", 2 << 20), value)
queue = max(sink.get("queue_bytes", 32 << 20), value)
# No more than the values copied can be held, however many workers there are.
held = min(workers * batch + queue, keys * value)
print(held // 1048576 + baseline)
' "$value_bytes" "$keys" "$baseline_mb"
}

printf '%-4s %5s %10s %14s %10s %8s  %s\n' case keys "value MiB" "riot peak MiB" "bound MiB" "riot s" options
run_case() {
  local name=$1 keys=$2 value_bytes=$3 target_options=$4
  shift 4
  # The source takes values of any size here (only the fill needs it).
  start_redis_server "source-$name" --proto-max-bulk-len 1gb --maxmemory 0
  local source_port=$started_port
  # shellcheck disable=SC2086 # target_options is a list of words
  start_redis_server "target-$name" --maxmemory 0 $target_options
  local target_port=$started_port
  "$fill" "redis://127.0.0.1:$source_port" --strings "$keys" --string-size "$value_bytes" \
    --hashes 0 --seed 1 >"$workdir/fill-$name.out"

  local status=0
  /usr/bin/time -f '%e %M' -o "$workdir/time-$name" timeout "$riot_timeout" \
    "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
    --progress none "$@" >"$workdir/riot-$name.log" 2>&1 || status=$?
  local copied
  copied=$(redis-cli -p "$target_port" dbsize)
  stop_case_servers
  local seconds rss_kb
  read -r seconds rss_kb < <(grep -E '^[0-9.]+ [0-9]+$' "$workdir/time-$name" | tail -n 1)
  # A failed run still shows how much memory it took before failing.
  local outcome=
  [ "$status" = 0 ] || outcome="  FAILED: riot exit $status"
  [ "$copied" = "$keys" ] || outcome="$outcome  ($copied of $keys keys copied)"
  printf '%-4s %5s %10s %14s %10s %8s  %s%s\n' "$name" "$keys" $((value_bytes / mib)) \
    $((rss_kb / 1024)) "$(bound_mib "$value_bytes" "$keys" "$@")" "$seconds" "${*:-(defaults)}" \
    "$outcome"
  if [ -n "$outcome" ]; then
    echo "case $name: riot's log ends with:" >&2
    tail -n 5 "$workdir/riot-$name.log" >&2
    return 1
  fi
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(a b c d)
failed=0
for name in "${cases[@]}"; do
  case $name in
    a) run_case a 1 $((300 * mib)) "" || failed=1 ;;
    b) run_case b 64 $((32 * mib)) "" || failed=1 ;;
    c) run_case c 64 $((32 * mib)) "" --read-batch 16 || failed=1 ;;
    d) run_case d 1 $((512 * mib)) "--proto-max-bulk-len 1gb" || failed=1 ;;
    *)
      echo "unknown case '$name': a, b, c or d" >&2
      exit 2
      ;;
  esac
done
exit $failed
