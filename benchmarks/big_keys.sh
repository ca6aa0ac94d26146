#!/usr/bin/env bash
# Peak memory of riot on big keys copied in chunks, and whether the copy is
# exact. See benchmarks/README.md.
#
#   benchmarks/big_keys.sh [CASE...]     CASE: hash list zset string (default: all)
#
# Cases, one big key each on a fresh source:
#   hash:   ELEMENTS (5,000,000) fields of ~32 B values;
#   list:   ELEMENTS elements of ~32 B;
#   zset:   ELEMENTS members with their scores;
#   string: STRING_MB (300) MiB of incompressible bytes.
# Each key is copied twice into an emptied target, each time under
# /usr/bin/time -v: with --type struct (chunks above codec.struct's
# threshold), then with --type dump --mem-limit LIMIT_MB (16)
# --mem-limit-policy struct (codec.dump hands the big key to its datatype).
# One line per run: riot's peak resident memory, its wall time, and whether
# the target's value is exact (DEBUG DIGEST-VALUE, which digests the value
# whatever its encoding, and the same TTL presence). Then the copy is
# compared with the source (`--mode compare`, full: the big key compared in
# chunks), one more line with riot's peak memory and time, "exact" meaning
# that the comparison found the two equal (exit 0).
#
# Environment: RIOT_BUILD_DIR (build), RIOT_TIMEOUT (1800 s), QUICK=1 (200,000
# elements, a 30 MiB string and LIMIT_MB 1: a check that everything works),
# ELEMENTS, STRING_MB, LIMIT_MB. Extra arguments after `--` go to every riot run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli python3 /usr/bin/time
riot_timeout=${RIOT_TIMEOUT:-1800}
if [ "${QUICK:-0}" = 1 ]; then
  elements=${ELEMENTS:-200000} string_mb=${STRING_MB:-30} limit_mb=${LIMIT_MB:-1}
else
  elements=${ELEMENTS:-5000000} string_mb=${STRING_MB:-300} limit_mb=${LIMIT_MB:-16}
fi
mib=1048576

cases=()
riot_options=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then
    shift
    riot_options=("$@")
    break
  fi
  cases+=("$1")
  shift
done
[ ${#cases[@]} -gt 0 ] || cases=(hash list zset string)

# shellcheck source=scripts/redis-servers.sh
source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR

# Fills `key` on the server at `port` with `elements` elements of `type`,
# 100,000 per script call so that the server answers in between.
fill_aggregate() {
  local port=$1 type=$2 key=$3 count=$4 from=0 step=100000
  local script
  case $type in
    hash) script="for i=ARGV[1],ARGV[2] do redis.call('HSET', KEYS[1], 'field:'..i, string.format('%032d', i * 7919)) end" ;;
    list) script="for i=ARGV[1],ARGV[2] do redis.call('RPUSH', KEYS[1], string.format('%032d', i * 7919)) end" ;;
    zset) script="for i=ARGV[1],ARGV[2] do redis.call('ZADD', KEYS[1], (i * 7919) % 1000003 / 7, 'member:'..i) end" ;;
  esac
  while [ "$from" -lt "$count" ]; do
    local to=$((from + step - 1))
    [ "$to" -lt "$count" ] || to=$((count - 1))
    redis-cli -p "$port" eval "$script" 1 "$key" "$from" "$to" >/dev/null
    from=$((to + 1))
  done
}

digest() { redis-cli -p "$1" debug digest-value "$2"; }

printf '%-7s %12s %-52s %14s %8s  %s\n' case size "riot options" "riot peak MiB" "riot s" exact

# Compares the big key of the target (the last copy's) with the source's: a
# full comparison, chunked above --mem-limit (LIMIT_MB).
compare_case() {
  local name=$1 size=$2 source_port=$3 target_port=$4 status=0 equal=yes
  local options="--mode compare --mem-limit $limit_mb --mem-limit-policy struct"
  # shellcheck disable=SC2086 # options is a list of words
  /usr/bin/time -v -o "$workdir/time-compare-$name" timeout "$riot_timeout" \
    "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
    --progress none $options >"$workdir/compare-$name.log" 2>&1 || status=$?
  local rss_kb seconds
  rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$workdir/time-compare-$name")
  seconds=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$workdir/time-compare-$name")
  [ "$status" = 0 ] || equal="NO (riot exit $status: 4 differences, other: error)"
  printf '%-7s %12s %-52s %14s %8s  %s\n' "$name" "$size" "$options" $((rss_kb / 1024)) "$seconds" "$equal"
  [ "$equal" = yes ] && return 0
  echo "case $name (compare): riot's log ends with:" >&2
  tail -n 5 "$workdir/compare-$name.log" >&2
  return 1
}
run_case() {
  local name=$1
  start_redis_server "source-$name" --proto-max-bulk-len 1gb --maxmemory 0 --enable-debug-command yes
  local source_port=$started_port
  start_redis_server "target-$name" --maxmemory 0 --enable-debug-command yes
  local target_port=$started_port
  local key="big:$name" size
  if [ "$name" = string ]; then
    "$fill" "redis://127.0.0.1:$source_port" --strings 1 --string-size $((string_mb * mib)) \
      --hashes 0 --seed 1 >"$workdir/fill-$name.out"
    key=string:0
    size="$string_mb MiB"
  else
    fill_aggregate "$source_port" "$name" "$key" "$elements"
    size="$elements"
  fi
  redis-cli -p "$source_port" pexpire "$key" 86400000 >/dev/null
  local expected
  expected=$(digest "$source_port" "$key")

  local failed=0 options
  for options in "--type struct" "--mem-limit $limit_mb --mem-limit-policy struct"; do
    redis-cli -p "$target_port" flushall >/dev/null
    local status=0
    # shellcheck disable=SC2086 # options is a list of words
    /usr/bin/time -v -o "$workdir/time-$name" timeout "$riot_timeout" \
      "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
      --progress none --no-verify $options "${riot_options[@]}" >"$workdir/riot-$name.log" 2>&1 || status=$?
    local rss_kb seconds exact=yes
    rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$workdir/time-$name")
    seconds=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$workdir/time-$name")
    [ "$(digest "$target_port" "$key")" = "$expected" ] || exact="NO (value differs)"
    [ "$(redis-cli -p "$target_port" pttl "$key")" -gt 0 ] || exact="NO (TTL lost)"
    [ "$(redis-cli -p "$target_port" dbsize)" = 1 ] || exact="NO (target holds $(redis-cli -p "$target_port" dbsize) keys)"
    [ "$status" = 0 ] || exact="$exact; riot exit $status"
    printf '%-7s %12s %-52s %14s %8s  %s\n' "$name" "$size" "$options ${riot_options[*]}" \
      $((rss_kb / 1024)) "$seconds" "$exact"
    if [ "$exact" != yes ]; then
      echo "case $name ($options): riot's log ends with:" >&2
      tail -n 5 "$workdir/riot-$name.log" >&2
      failed=1
    fi
  done
  compare_case "$name" "$size" "$source_port" "$target_port" || failed=1
  stop_case_servers
  return $failed
}

failed=0
for name in "${cases[@]}"; do
  case $name in
    hash | list | zset | string) run_case "$name" || failed=1 ;;
    *)
      echo "unknown case '$name': hash, list, zset or string" >&2
      exit 2
      ;;
  esac
done
exit $failed
