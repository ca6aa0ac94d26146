#!/usr/bin/env bash
# Snapshot benchmark: riot beside Redis's own replication, on the same data,
# the same machine, in the same run. benchmarks/run.sh runs it once per
# dataset; see benchmarks/README.md.
#
#   [DATASET=A|B|C] benchmarks/snapshot.sh [riot replicate options...]
#
# Datasets (random, incompressible bytes; see riot-bench-fill):
#   A (default): STRINGS (1000000) strings of STRING_SIZE (100) bytes and
#                HASHES (100000) hashes of HASH_FIELDS (10) fields of
#                FIELD_SIZE (100) bytes;
#   B:           MIXED (12000) keys of every core type in rotation, each of
#                MIN_SIZE (10) to MAX_SIZE (1000000) bytes, log-uniform, a
#                third with a TTL (~1 GB of values at the default MIXED);
#   C:           dataset A scaled to 4,000,000 keys: STRINGS (3636364) and
#                HASHES (363636).
# Other environment: RIOT_BUILD_DIR (build), RESULT_JSON (where the JSON
# object goes, default $RIOT_BUILD_DIR/benchmark-snapshot.json),
# DATASET_LABEL, RIOT_TYPES (the --type values riot copies with, one run
# each, "dump struct"; the first is the main figure), SAMPLE (keys whose
# values are compared, 60), REDIS_OPTIONS
# (extra redis-server options, given to both servers), COMPARE_DEPTHS,
# COMPARE_OPTIONS (more riot options for the comparisons), RIOT_TIMEOUT (3600 s),
# SEED (1).
#
# Starts a source and a target redis-server with identical settings (maxmemory
# unlimited) on free ports, fills the source, then measures:
#   native: REPLICAOF of the empty target (diskless sync, delay 0) until the
#           link is up, i.e. the target has loaded everything;
#   riot:   `riot replicate --no-verify` of the same data into the emptied
#           target, once per type of RIOT_TYPES (--type dump, then --type
#           struct), each with its wall time, peak resident memory and CPU
#           seconds;
#   compare: after the first type's copy, `riot replicate --mode compare` of
#           the same pair, once per depth of COMPARE_DEPTHS ("quick full";
#           "" for none), each with its wall time, peak resident memory and
#           CPU seconds; each must find the two equal (exit 0).
# After each riot run, checks that riot copied every key and every TTL (key
# and expiry counts equal), and compares the values and TTLs of SAMPLE keys
# on both sides. It fails if riot fails or a check does; riot's logs are kept
# beside the JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli python3 bc /usr/bin/time

dataset=${DATASET:-A}
seed=${SEED:-1}
sample=${SAMPLE:-60}
riot_timeout=${RIOT_TIMEOUT:-3600}
result_json=${RESULT_JSON:-$build/benchmark-snapshot.json}
case $dataset in
  A | C)
    if [ "$dataset" = A ]; then
      strings=${STRINGS:-1000000} hashes=${HASHES:-100000}
    else
      strings=${STRINGS:-3636364} hashes=${HASHES:-363636}
    fi
    string_size=${STRING_SIZE:-100} hash_fields=${HASH_FIELDS:-10} field_size=${FIELD_SIZE:-100}
    fill_args=(--strings "$strings" --string-size "$string_size" --hashes "$hashes"
      --hash-fields "$hash_fields" --field-size "$field_size")
    description="$strings strings of $string_size B, $hashes hashes of $hash_fields x $field_size B"
    ;;
  B)
    mixed=${MIXED:-12000} min_size=${MIN_SIZE:-10} max_size=${MAX_SIZE:-1000000}
    fill_args=(--strings 0 --hashes 0 --mixed "$mixed" --min-size "$min_size" --max-size "$max_size")
    description="$mixed keys of every type, $min_size B to $max_size B each, a third with TTLs"
    ;;
  *)
    echo "DATASET must be A, B or C, not '$dataset'" >&2
    exit 2
    ;;
esac
label=${DATASET_LABEL:-$dataset}

# shellcheck source=scripts/redis-servers.sh
source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# Both servers get the same settings: the target must hold everything
# (maxmemory 0: unlimited, whatever a redis.conf elsewhere says).
# shellcheck disable=SC2206 # REDIS_OPTIONS is a list of words on purpose
server_options=(--repl-diskless-sync yes --repl-diskless-sync-delay 0 --maxmemory 0
  ${REDIS_OPTIONS:-})
start_redis_server source "${server_options[@]}"
source_port=$started_port
start_redis_server target "${server_options[@]}"
target_port=$started_port
src="redis-cli -p $source_port"
dst="redis-cli -p $target_port"

settings() { redis-cli -p "$1" config get '*' | paste - - | grep -Ev '^(port|dir|logfile|pidfile)	' | sort; }
if ! diff <(settings "$source_port") <(settings "$target_port") >"$workdir/settings.diff"; then
  echo "source and target settings differ:" >&2
  cat "$workdir/settings.diff" >&2
  exit 1
fi
[ "$($dst config get maxmemory | sed -n 2p)" = 0 ] || { echo "target maxmemory is not unlimited" >&2; exit 1; }

# The fill prints: keys=K ttl_keys=T payload_bytes=B commands=C seconds=S
echo "dataset $label: filling the source with $description"
fill_start=$(now)
"$fill" "redis://127.0.0.1:$source_port" "${fill_args[@]}" --seed "$seed" >"$workdir/fill.out"
fill_seconds=$(echo "$(now) - $fill_start" | bc)
payload_bytes=$(sed -n 's/.*payload_bytes=\([0-9]*\).*/\1/p' "$workdir/fill.out")
# info fields end in \r.
info_field() { sed -n "s/^$1:\\([^\\r]*\\)\\r\\?\$/\\1/p"; }
expires_of() { redis-cli -p "$1" info keyspace | sed -n 's/^db0:.*expires=\([0-9]*\).*/\1/p' | grep . || echo 0; }
keys=$($src dbsize)
expires=$(expires_of "$source_port")
used_memory=$($src info memory | info_field used_memory)
used_mb=$((used_memory / 1048576))
payload_mb=$((payload_bytes / 1048576))
printf 'source: %s keys (%s with TTL), %s MB of values, used_memory %s MB; filled in %.1f s\n' \
  "$keys" "$expires" "$payload_mb" "$used_mb" "$fill_seconds"

# Native reference: full sync of an empty replica.
native_load_before=$(load)
start=$(now)
$dst replicaof 127.0.0.1 "$source_port" >/dev/null
deadline=$(($(date +%s) + riot_timeout))
until $dst info replication | grep -q '^master_link_status:up'; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "native sync still not done after $riot_timeout s" >&2; exit 1; }
  sleep 0.01
done
native=$(echo "$(now) - $start" | bc)
native_keys=$($dst dbsize)
$dst replicaof no one >/dev/null
$dst flushall >/dev/null
[ "$($dst dbsize)" = 0 ] || { echo "target not empty after FLUSHALL" >&2; exit 1; }
printf 'native: %.2f s, %s keys\n' "$native" "$native_keys"

# riot, once per type of RIOT_TYPES into the emptied target: dump (the
# options given) and struct (--type struct and the options given).
riot_types=${RIOT_TYPES:-dump struct}
failures=0
fail() {
  echo "CHECK FAILED: $*" >&2
  failures=$((failures + 1))
}
[ "$native_keys" = "$keys" ] || fail "native sync copied $native_keys of $keys keys"

# The elements of a value, one a line, in an order that does not depend on
# the server's hash table or encoding (escaped by --no-raw, so binary bytes
# stay on their line).
elements() {
  local port=$1 type=$2 key=$3
  case $type in
    hash) redis-cli -p "$port" --no-raw hgetall "$key" | sed 's/^ *[0-9]*) //' | paste - - | sort ;;
    set) redis-cli -p "$port" --no-raw smembers "$key" | sed 's/^ *[0-9]*) //' | sort ;;
    list) redis-cli -p "$port" --no-raw lrange "$key" 0 -1 ;;
    zset) redis-cli -p "$port" --no-raw zrange "$key" 0 -1 withscores ;;
    stream) redis-cli -p "$port" --no-raw xrange "$key" - + ;;
    *) redis-cli -p "$port" --no-raw get "$key" ;;
  esac
}
# Same type and same value: DUMP payloads are byte-equal for a key RESTOREd
# into a server of the same version and settings, except for hashes and sets
# kept in a hash table, whose DUMP follows the table's (per-process seeded)
# order, and for values written by type, whose encoding may differ: those
# are compared element by element. Same TTL presence, and expiry times
# within the duration of the copy.
check_key() {
  local key=$1 tolerance_ms=$2 type
  type=$($src type "$key")
  [ "$type" != none ] || { fail "$key is missing on the source"; return; }
  [ "$($dst type "$key")" = "$type" ] || { fail "$key is a $type on the source, $($dst type "$key") on the target"; return; }
  sampled=$((sampled + 1))
  if [ "$($src --no-raw dump "$key" | md5sum)" = "$($dst --no-raw dump "$key" | md5sum)" ]; then
    dump_equal=$((dump_equal + 1))
  else
    local kind
    kind="$type/$($src object encoding "$key")"
    elementwise[$kind]=$((${elementwise[$kind]:-0} + 1))
    if [ "$(elements "$source_port" "$type" "$key" | md5sum)" != "$(elements "$target_port" "$type" "$key" | md5sum)" ]; then
      fail "value of $key ($kind) differs"
    fi
  fi
  local source_ttl target_ttl
  source_ttl=$($src pttl "$key")
  target_ttl=$($dst pttl "$key")
  if [ "$source_ttl" -lt 0 ] || [ "$target_ttl" -lt 0 ]; then
    [ "$source_ttl" = "$target_ttl" ] || fail "$key has PTTL $source_ttl on the source, $target_ttl on the target"
  else
    local gap=$((source_ttl - target_ttl))
    [ "${gap#-}" -le "$tolerance_ms" ] || fail "$key has PTTL $source_ttl on the source, $target_ttl on the target"
  fi
}
# Index j of n spread evenly over 0..count-1 (first and last included).
spread() { echo $(($3 <= 1 ? 0 : $2 <= 1 ? 0 : $1 * ($3 - 1) / ($2 - 1))); }
check_sample() {
  local tolerance_ms=$1 j i
  sampled=0 dump_equal=0
  elementwise=()
  if [ "$dataset" = B ]; then
    local types=(string hash list set zset stream)
    for ((j = 0; j < sample && j < mixed; j++)); do
      # Evenly spread over the keys, every type in turn.
      i=$(((j * mixed / sample) / 6 * 6 + j % 6))
      [ "$i" -lt "$mixed" ] || continue
      check_key "mixed:${types[i % 6]}:$i" "$tolerance_ms"
    done
  else
    local string_sample=$((hashes > 0 && hash_fields > 0 ? sample / 2 : sample))
    local hash_sample=$((sample - string_sample))
    for ((j = 0; j < string_sample && j < strings; j++)); do
      check_key "string:$(spread "$j" "$string_sample" "$strings")" "$tolerance_ms"
    done
    for ((j = 0; j < hash_sample && j < hashes; j++)); do
      check_key "hash:$(spread "$j" "$hash_sample" "$hashes")" "$tolerance_ms"
    done
  fi
  local kind list=
  for kind in "${!elementwise[@]}"; do list+=" $kind:${elementwise[$kind]}"; done
  echo "checked $sampled sampled keys: $dump_equal with byte-equal DUMP, the others element by element:${list:- none}"
}

# Copies the source into the emptied target with `riot replicate --type
# TYPE` and the script's options, checks the copy and sets run_TYPE_* (for
# the table and the JSON).
declare -A elementwise=()
declare -A run_seconds=() run_rss_mb=() run_cpu=() run_keys=() run_expires=() run_load=() run_log=()
copy_with_riot() {
  local type=$1
  shift
  local type_options=()
  [ "$type" = dump ] || type_options=(--type "$type")
  $dst flushall >/dev/null
  [ "$($dst dbsize)" = 0 ] || { echo "target not empty after FLUSHALL" >&2; exit 1; }
  local log=${result_json%.json}.riot.log
  [ "$type" = dump ] || log=${result_json%.json}.riot-$type.log
  local load_before status=0
  load_before=$(load)
  /usr/bin/time -f '%e %M %U %S' -o "$workdir/time-$type" timeout "$riot_timeout" \
    "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
    --progress none --no-verify "${type_options[@]}" "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    echo "riot --type $type failed (exit $status); its log ($log) ends with:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  local seconds rss_kb user sys
  read -r seconds rss_kb user sys < <(tail -n 1 "$workdir/time-$type")
  run_seconds[$type]=$seconds
  run_rss_mb[$type]=$((rss_kb / 1024))
  run_cpu[$type]=$(echo "$user + $sys" | bc)
  run_keys[$type]=$($dst dbsize)
  run_expires[$type]=$(expires_of "$target_port")
  run_load[$type]="$load_before -> $(load)"
  run_log[$type]=$log
  printf 'riot --type %s: %.2f s, %s keys (%s with TTL)\n' "$type" "$seconds" "${run_keys[$type]}" \
    "${run_expires[$type]}"
  # Checks: every key, every TTL, and the values and TTLs of a sample.
  [ "${run_keys[$type]}" = "$keys" ] || fail "riot --type $type copied ${run_keys[$type]} of $keys keys"
  [ "${run_expires[$type]}" = "$expires" ] ||
    fail "riot --type $type: ${run_expires[$type]} keys with a TTL on the target, $expires on the source"
  check_sample "$(echo "($seconds + 5) * 1000 / 1" | bc)"
}

# Compares the source with the target holding riot's copy: `riot replicate
# --mode compare --compare DEPTH`, which must find them equal; sets
# compare_DEPTH_* (for the table and the JSON).
declare -A compare_seconds=() compare_rss_mb=() compare_cpu=()
compare_with_riot() {
  local depth=$1 status=0
  local log=${result_json%.json}.compare-$depth.log
  # shellcheck disable=SC2086 # COMPARE_OPTIONS is a list of words on purpose
  /usr/bin/time -f '%e %M %U %S' -o "$workdir/time-compare-$depth" timeout "$riot_timeout" \
    "$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" \
    --progress none --mode compare --compare "$depth" ${COMPARE_OPTIONS:-} >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    fail "riot --mode compare --compare $depth exited $status (0: equal); its log ($log) ends with: $(tail -n 5 "$log")"
    return
  fi
  local seconds rss_kb user sys
  read -r seconds rss_kb user sys < <(tail -n 1 "$workdir/time-compare-$depth")
  compare_seconds[$depth]=$seconds
  compare_rss_mb[$depth]=$((rss_kb / 1024))
  compare_cpu[$depth]=$(echo "$user + $sys" | bc)
  printf 'riot --mode compare --compare %s: %.2f s, peak RSS %s MB, CPU %.2f s; %s\n' "$depth" \
    "$seconds" "${compare_rss_mb[$depth]}" "${compare_cpu[$depth]}" "$(grep -o 'compare: .*' "$log" | tail -n 1)"
}

compare_depths=${COMPARE_DEPTHS-quick full}
first_type=1
for type in $riot_types; do
  case $type in
    dump | struct) copy_with_riot "$type" "$@" ;;
    *) echo "unknown type '$type' in RIOT_TYPES (dump or struct)" >&2; exit 2 ;;
  esac
  # The main type's copy, compared before the next type empties the target.
  if [ "$first_type" = 1 ]; then
    for depth in $compare_depths; do compare_with_riot "$depth"; done
  fi
  first_type=0
done

# The first type is the main figure (riot_seconds, ratio); every type has
# its own under "types".
main_type=${riot_types%% *}
riot_seconds=${run_seconds[$main_type]}
riot_keys=${run_keys[$main_type]}
riot_expires=${run_expires[$main_type]}
riot_cpu=${run_cpu[$main_type]}
rss_mb=${run_rss_mb[$main_type]}
riot_log=${run_log[$main_type]}
ratio=$(echo "scale=2; $riot_seconds / $native" | bc)
types_json=$(for type in $riot_types; do
  printf '"%s": {"seconds": %s, "ratio": %s, "peak_rss_mb": %s, "cpu_seconds": %s, "keys": %s, "keys_with_ttl": %s, "load_average": "%s"},' \
    "$type" "${run_seconds[$type]}" "$(echo "scale=2; ${run_seconds[$type]} / $native" | bc)" \
    "${run_rss_mb[$type]}" "${run_cpu[$type]}" "${run_keys[$type]}" "${run_expires[$type]}" "${run_load[$type]}"
done)
printf '\n%-8s %10s %9s %9s %9s' dataset keys data_MB used_MB native_s
for type in $riot_types; do printf ' %9s %7s %8s' "${type}_s" ratio peak_MB; done
printf '\n%-8s %10s %9s %9s %9.2f' "$label" "$keys" "$payload_mb" "$used_mb" "$native"
for type in $riot_types; do
  printf ' %9.2f %7.2f %8s' "${run_seconds[$type]}" "$(echo "scale=2; ${run_seconds[$type]} / $native" | bc)" \
    "${run_rss_mb[$type]}"
done
for depth in $compare_depths; do
  [ -n "${compare_seconds[$depth]:-}" ] || continue
  printf '\ncompare %-5s %9.2f s, peak %s MB, CPU %.2f s' "$depth" "${compare_seconds[$depth]}" \
    "${compare_rss_mb[$depth]}" "${compare_cpu[$depth]}"
done
printf '\n'
compare_json=$(for depth in $compare_depths; do
  [ -n "${compare_seconds[$depth]:-}" ] || continue
  printf '"%s": {"seconds": %s, "peak_rss_mb": %s, "cpu_seconds": %s},' "$depth" \
    "${compare_seconds[$depth]}" "${compare_rss_mb[$depth]}" "${compare_cpu[$depth]}"
done)

mkdir -p "$(dirname "$result_json")"
python3 - "$result_json" "$@" <<PY
import json, sys
result = {
    "dataset": "$dataset", "label": "$label", "description": "$description",
    "keys": $keys, "keys_with_ttl": $expires, "payload_bytes": $payload_bytes,
    "source_used_memory": $used_memory, "fill_seconds": round($fill_seconds, 2),
    "native_seconds": round($native, 3), "native_keys": $native_keys,
    "riot_seconds": $riot_seconds, "riot_keys": $riot_keys, "riot_keys_with_ttl": $riot_expires,
    "ratio": $ratio, "riot_peak_rss_mb": $rss_mb, "riot_cpu_seconds": $riot_cpu,
    "riot_options": sys.argv[2:], "riot_type": "$main_type", "types": {${types_json%,}},
    "compare": {${compare_json%,}},
    "checks_failed": $failures,
    "load_average_before_native": "$native_load_before",
}
with open(sys.argv[1], "w") as out:
    json.dump(result, out, indent=1)
    out.write("\n")
PY
echo "results written to $result_json (riot's log: $riot_log)"
[ "$failures" = 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
