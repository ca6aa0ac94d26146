#!/usr/bin/env bash
# Cluster snapshot benchmark: `riot replicate` from a Redis Cluster into
# another Redis Cluster (3 masters each by default), beside the time riot
# takes between two single servers holding the same data, in the same run.
#
#   benchmarks/cluster_snapshot.sh [riot replicate options...]
#
# Environment: STRINGS (1000000), STRING_SIZE (100), MASTERS (3),
# TARGET_MASTERS (MASTERS), RIOT_BUILD_DIR (build), RESULT_JSON.
# Steps: fill a single server with random strings; copy it into the source
# cluster with riot (timed: single -> cluster); then time cluster -> cluster,
# then the single server into another single server (single -> single), and
# check every copy's key count.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli
strings=${STRINGS:-1000000}
string_size=${STRING_SIZE:-100}
masters=${MASTERS:-3}
target_masters=${TARGET_MASTERS:-$masters}
result_json=${RESULT_JSON:-$build/benchmark-cluster-snapshot.json}

source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR

start_redis_server single-source
single_source=$started_port
start_redis_server single-target
single_target=$started_port
start_redis_cluster source "$masters" 0
source_cluster=$started_port
source_ports=("${started_cluster_ports[@]}")
start_redis_cluster target "$target_masters" 0
target_cluster=$started_port
target_ports=("${started_cluster_ports[@]}")

cluster_keys() {
  local port total=0
  for port in "$@"; do total=$((total + $(redis-cli -p "$port" dbsize))); done
  echo "$total"
}

# Runs riot SOURCE_PORT TARGET_PORT NAME [options]; sets seconds, rss_mb, cpu.
timed_riot() {
  local from=$1 to=$2 name=$3
  shift 3
  /usr/bin/time -f '%e %M %U %S' -o "$workdir/$name.time" \
    "$riot" replicate "redis://127.0.0.1:$from" "redis://127.0.0.1:$to" --progress none "$@" \
    2>"$workdir/$name.log" || { cat "$workdir/$name.log" >&2; exit 1; }
  local rss_kb user sys
  read -r seconds rss_kb user sys <"$workdir/$name.time"
  rss_mb=$((rss_kb / 1024))
  cpu=$(echo "$user + $sys" | bc)
}

echo "filling a single server: $strings strings of $string_size B"
"$fill" "redis://127.0.0.1:$single_source" --strings "$strings" --string-size "$string_size" \
  --hashes 0
keys=$(redis-cli -p "$single_source" dbsize)

timed_riot "$single_source" "$source_cluster" single-to-cluster "$@"
s2c=$seconds s2c_rss=$rss_mb s2c_cpu=$cpu
[ "$(cluster_keys "${source_ports[@]}")" = "$keys" ] || { echo "single -> cluster lost keys" >&2; exit 1; }

timed_riot "$source_cluster" "$target_cluster" cluster-to-cluster "$@"
c2c=$seconds c2c_rss=$rss_mb c2c_cpu=$cpu
c2c_keys=$(cluster_keys "${target_ports[@]}")

timed_riot "$single_source" "$single_target" single-to-single "$@"
s2s=$seconds s2s_rss=$rss_mb s2s_cpu=$cpu
s2s_keys=$(redis-cli -p "$single_target" dbsize)

printf '\n%-22s %10s %8s %8s %8s\n' run keys riot_s peak_MB cpu_s
printf '%-22s %10s %8.2f %8s %8.2f\n' "single -> single" "$s2s_keys" "$s2s" "$s2s_rss" "$s2s_cpu"
printf '%-22s %10s %8.2f %8s %8.2f\n' "single -> cluster($masters)" "$keys" "$s2c" "$s2c_rss" "$s2c_cpu"
printf '%-22s %10s %8.2f %8s %8.2f\n' "cluster($masters) -> cluster($target_masters)" "$c2c_keys" "$c2c" "$c2c_rss" "$c2c_cpu"
cat >"$result_json" <<JSON
{"keys": $keys, "masters": $masters, "target_masters": $target_masters,
 "single_to_single": {"seconds": $s2s, "peak_rss_mb": $s2s_rss, "cpu_seconds": $s2s_cpu},
 "single_to_cluster": {"seconds": $s2c, "peak_rss_mb": $s2c_rss, "cpu_seconds": $s2c_cpu},
 "cluster_to_cluster": {"seconds": $c2c, "peak_rss_mb": $c2c_rss, "cpu_seconds": $c2c_cpu},
 "riot_options": "$*"}
JSON
echo "results written to $result_json"
[ "$c2c_keys" = "$keys" ] || { echo "cluster -> cluster copied $c2c_keys of $keys keys" >&2; exit 1; }
[ "$s2s_keys" = "$keys" ] || { echo "single -> single copied $s2s_keys of $keys keys" >&2; exit 1; }
