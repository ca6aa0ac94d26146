#!/usr/bin/env bash
# Snapshot benchmark: riot beside Redis's own replication, on the same data,
# the same machine, in the same run.
#
#   benchmarks/snapshot.sh [riot replicate options...]
#
# Environment: STRINGS (1000000), STRING_SIZE (100), HASHES (100000),
# HASH_FIELDS (10), FIELD_SIZE (100), RIOT_BUILD_DIR (build), RESULT_JSON.
# Starts a source and a target redis-server on free ports, fills the source
# with random (incompressible) data, then measures:
#   native: REPLICAOF of the empty target (diskless sync, delay 0) until the
#           link is up, i.e. the target has loaded everything;
#   riot:   `riot replicate` of the same data into the emptied target, with
#           its wall time, peak resident memory and CPU seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RIOT_BUILD_DIR:-build}
riot=$build/bin/riot
fill=$build/benchmarks/riot-bench-fill
[ -x "$fill" ] || fill=$build/bin/riot-bench-fill
strings=${STRINGS:-1000000}
string_size=${STRING_SIZE:-100}
hashes=${HASHES:-100000}
hash_fields=${HASH_FIELDS:-10}
field_size=${FIELD_SIZE:-100}
result_json=${RESULT_JSON:-$build/benchmark-snapshot.json}

source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR
now() { date +%s.%N; }
sync_options=(--repl-diskless-sync yes --repl-diskless-sync-delay 0)
start_redis_server source "${sync_options[@]}"
source_port=$started_port
start_redis_server target "${sync_options[@]}"
target_port=$started_port
src="redis-cli -p $source_port"
dst="redis-cli -p $target_port"

echo "filling the source: $strings strings of $string_size B, $hashes hashes of $hash_fields x $field_size B"
"$fill" "redis://127.0.0.1:$source_port" --strings "$strings" --string-size "$string_size" \
  --hashes "$hashes" --hash-fields "$hash_fields" --field-size "$field_size"
keys=$($src dbsize)
used=$($src info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p')
echo "source: $keys keys, $used"

# Native reference: full sync of an empty replica.
start=$(now)
$dst replicaof 127.0.0.1 "$source_port" >/dev/null
until $dst info replication | grep -q '^master_link_status:up'; do sleep 0.01; done
native=$(echo "$(now) - $start" | bc)
native_keys=$($dst dbsize)
$dst replicaof no one >/dev/null
$dst flushall >/dev/null
[ "$($dst dbsize)" = 0 ] || { echo "target not empty after FLUSHALL" >&2; exit 1; }

# riot.
/usr/bin/time -f '%e %M %U %S' -o "$workdir/time" \
  "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
  --progress none "$@" 2>"$workdir/riot.log" || { cat "$workdir/riot.log" >&2; exit 1; }
read -r riot_seconds riot_rss_kb riot_user riot_sys <"$workdir/time"
riot_keys=$($dst dbsize)

# Spot check values beyond the count: the same bytes on both sides.
for key in string:0 string:$((strings / 2)) string:$((strings - 1)) hash:0 hash:$((hashes / 2)); do
  [ "$($src --no-raw dump "$key" | md5sum)" = "$($dst --no-raw dump "$key" | md5sum)" ] || \
    [ "$($src type "$key")" = hash ] || { echo "value of $key differs" >&2; exit 1; }
done

ratio=$(echo "scale=2; $riot_seconds / $native" | bc)
riot_cpu=$(echo "$riot_user + $riot_sys" | bc)
rss_mb=$((riot_rss_kb / 1024))
printf '\n%-10s %10s %10s %8s %10s %10s %10s\n' dataset keys native_s riot_s ratio peak_MB cpu_s
printf '%-10s %10s %10.2f %8.2f %10s %10s %10.2f\n' "${DATASET_LABEL:-${strings}s+${hashes}h}" "$keys" "$native" "$riot_seconds" "$ratio" \
  "$rss_mb" "$riot_cpu"
echo "native copied $native_keys keys, riot copied $riot_keys keys"
cat >"$result_json" <<JSON
{"keys": $keys, "native_seconds": $native, "native_keys": $native_keys,
 "riot_seconds": $riot_seconds, "riot_keys": $riot_keys, "ratio": $ratio,
 "riot_peak_rss_mb": $rss_mb, "riot_cpu_seconds": $riot_cpu, "riot_options": "$*"}
JSON
echo "results written to $result_json"
[ "$riot_keys" = "$keys" ] || { echo "riot copied $riot_keys of $keys keys" >&2; exit 1; }
