#!/usr/bin/env bash
# What copying small strings costs the two servers, by DUMP and RESTORE
# versus GET and SET (codec.dump's string fast path), on the same data in
# the same run. See benchmarks/README.md and docs/performance.md.
#
#   benchmarks/string_path.sh [riot replicate options...]
#
# For each size of SIZES (bytes; "int" is an integer-encoded value), fills a
# source with STRINGS (500,000) strings of that size, then copies them into
# the emptied target twice: with --no-string-fast-path (DUMP, PTTL /
# RESTORE) and with the defaults (GET, PTTL / SET). Before each copy both
# servers' statistics are reset (CONFIG RESETSTAT); after it, their CPU time
# (user + system, from /proc/PID/stat, clock ticks) and INFO commandstats
# tell what the copy cost each server, and riot's wall time what it took.
# One line per size and path:
#
#   size  path       source CPU s  target CPU s  read us/call  write us/call  riot s
#
# `read us/call` is the source's usec_per_call of DUMP or GET, `write
# us/call` the target's of RESTORE or SET. Every copy is checked: as many keys
# on the target as on the source.
#
# Environment: RIOT_BUILD_DIR (build), SIZES ("int 16 100 1000"), STRINGS
# (500000), QUICK=1 (50,000 strings), RIOT_TIMEOUT (600 s).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli python3 /usr/bin/time
riot_timeout=${RIOT_TIMEOUT:-600}
sizes=${SIZES:-int 16 100 1000}
if [ "${QUICK:-0}" = 1 ]; then strings=${STRINGS:-50000}; else strings=${STRINGS:-500000}; fi
ticks=$(getconf CLK_TCK)

# shellcheck source=scripts/redis-servers.sh
source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR
start_redis_server source --maxmemory 0
source_port=$started_port
source_pid=${RIOT_SERVER_PIDS[-1]}
start_redis_server target --maxmemory 0
target_port=$started_port
target_pid=${RIOT_SERVER_PIDS[-1]}

# CPU seconds (user + system) the process has used so far.
cpu_seconds() { awk -v ticks="$ticks" '{ printf "%.3f", ($14 + $15) / ticks }' "/proc/$1/stat"; }
# usec_per_call of `command` in INFO commandstats ("-" when not called).
usec_per_call() {
  redis-cli -p "$1" info commandstats |
    sed -n "s/^cmdstat_$2:.*usec_per_call=\\([0-9.]*\\).*/\\1/p" | grep . || echo -
}

fill() {
  local size=$1
  redis-cli -p "$source_port" flushall >/dev/null
  if [ "$size" = int ]; then
    # Integers in the shared range and beyond: OBJECT ENCODING int.
    redis-cli -p "$source_port" eval \
      "for i=0,ARGV[1]-1 do redis.call('SET', 'string:'..i, tostring(i * 7919)) end" 0 \
      "$strings" >/dev/null
  else
    "$fill" "redis://127.0.0.1:$source_port" --strings "$strings" --string-size "$size" \
      --hashes 0 --seed 1 >"$workdir/fill.out"
  fi
}

printf '%-5s %-10s %12s %12s %12s %13s %7s\n' size path "source CPU s" "target CPU s" "read us/call" \
  "write us/call" "riot s"
failed=0
for size in $sizes; do
  fill "$size"
  keys=$(redis-cli -p "$source_port" dbsize)
  for path in dump get; do
    options=()
    read_command=get write_command=set
    if [ "$path" = dump ]; then
      options=(--no-string-fast-path)
      read_command=dump write_command=restore
    fi
    redis-cli -p "$target_port" flushall >/dev/null
    redis-cli -p "$source_port" config resetstat >/dev/null
    redis-cli -p "$target_port" config resetstat >/dev/null
    source_before=$(cpu_seconds "$source_pid")
    target_before=$(cpu_seconds "$target_pid")
    status=0
    /usr/bin/time -f '%e' -o "$workdir/time" timeout "$riot_timeout" \
      "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
      --progress none "${options[@]}" "$@" >"$workdir/riot.log" 2>&1 || status=$?
    source_cpu=$(echo "$(cpu_seconds "$source_pid") - $source_before" | bc)
    target_cpu=$(echo "$(cpu_seconds "$target_pid") - $target_before" | bc)
    copied=$(redis-cli -p "$target_port" dbsize)
    outcome=
    [ "$status" = 0 ] || outcome="  FAILED: riot exit $status"
    [ "$copied" = "$keys" ] || outcome="$outcome  ($copied of $keys keys copied)"
    printf '%-5s %-10s %12s %12s %12s %13s %7s%s\n' "$size" "$path/$([ "$path" = dump ] && echo restore || echo set)" \
      "$source_cpu" "$target_cpu" "$(usec_per_call "$source_port" "$read_command")" \
      "$(usec_per_call "$target_port" "$write_command")" "$(tail -n 1 "$workdir/time")" "$outcome"
    if [ -n "$outcome" ]; then
      tail -n 5 "$workdir/riot.log" >&2
      failed=1
    fi
  done
done
exit $failed
