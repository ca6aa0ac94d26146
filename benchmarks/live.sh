#!/usr/bin/env bash
# Live benchmark: riot's replication lag beside a native replica's, under the
# same write load, on the same machine, in the same run. See
# benchmarks/README.md.
#
#   bash scripts/build.sh
#   benchmarks/live.sh [riot replicate options...]
#
# Environment: RATES ("1000 10000 50000" writes/s), SECONDS_PER_RATE (20),
# KEYS (10000), MIN_SIZE (16), MAX_SIZE (4096), SEED (1), RIOT_BUILD_DIR
# (build), RESULT_JSON ($RIOT_BUILD_DIR/benchmark-live.json), QUICK=1
# (RATES "1000 10000", 3 s each: a check that everything works).
#
# Starts a source (notify-keyspace-events KEA, as live mode needs), riot's
# target and a second target for the native replica (both with
# notify-keyspace-events KA, which the observer needs). Then:
#   riot:   `riot replicate --mode live SOURCE TARGET`; for each rate the
#           observer (riot-bench-live-observe) watches the target while the
#           load generator (riot-bench-live-load) writes to the source;
#           riot's CPU time and peak RSS (VmHWM, reset before each rate) are
#           read from /proc. riot is then stopped with SIGINT.
#   native: the second target becomes a replica of the source (REPLICAOF)
#           and the same load (same seed, same rates) runs again, observed
#           on the replica.
# Prints per rate: the rate asked and achieved, riot's lag p50/p99/max, the
# native replica's p50/p99, whether riot kept up, riot's CPU and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.sh
source benchmarks/tools.sh redis-server redis-cli python3
tool() {
  local path=$build/bin/$1
  [ -x "$path" ] || path=$build/benchmarks/$1
  [ -x "$path" ] || { echo "$1 not found in $build: build first (bash scripts/build.sh)" >&2; exit 1; }
  echo "$path"
}
load=$(tool riot-bench-live-load)
observe=$(tool riot-bench-live-observe)

if [ "${QUICK:-0}" = 1 ]; then
  rates=${RATES:-1000 10000} seconds=${SECONDS_PER_RATE:-3}
else
  rates=${RATES:-1000 10000 50000} seconds=${SECONDS_PER_RATE:-20}
fi
keys=${KEYS:-10000}
load_args=(--seconds "$seconds" --keys "$keys" --min-size "${MIN_SIZE:-16}"
  --max-size "${MAX_SIZE:-4096}" --seed "${SEED:-1}")
result_json=${RESULT_JSON:-$build/benchmark-live.json}
observe_timeout=$((seconds * 10 + 60))

# shellcheck source=scripts/redis-servers.sh
source scripts/redis-servers.sh
workdir=$RIOT_SERVERS_DIR
start_redis_server source --notify-keyspace-events KEA --repl-diskless-sync-delay 0
source_port=$started_port
start_redis_server target --notify-keyspace-events KA
target_port=$started_port
start_redis_server replica --notify-keyspace-events KA
replica_port=$started_port
source_uri=redis://127.0.0.1:$source_port

echo "riot live benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(uname -sr); redis-server $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rates: $rates writes/s, $seconds s each, $keys keys; riot options: ${*:-(defaults)}"

ticks_per_second=$(getconf CLK_TCK)
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_mb() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }

# Runs one rate: the observer on URI, then the load; appends
# "side rate key=value..." to $workdir/results. With a pid, also measures
# that process's CPU and peak RSS during the rate.
measure() {
  local side=$1 uri=$2 rate=$3 pid=${4:-}
  local end_key=bench:end:$side:$rate out=$workdir/observe-$side-$rate.out
  "$observe" "$uri" --end-key "$end_key" --timeout "$observe_timeout" >"$out" &
  local observer=$!
  until grep -q '^ready' "$out" 2>/dev/null; do
    kill -0 "$observer" 2>/dev/null || { echo "the observer of $side failed" >&2; exit 1; }
    sleep 0.05
  done
  local cpu_before=0 started
  if [ -n "$pid" ]; then
    cpu_before=$(cpu_ticks "$pid")
    echo 5 >"/proc/$pid/clear_refs"  # resets VmHWM to the current RSS
  fi
  started=$(date +%s.%N)
  local load_line
  load_line=$("$load" "$source_uri" --rate "$rate" --end-key "$end_key" "${load_args[@]}")
  wait "$observer"
  local extra=
  if [ -n "$pid" ]; then
    local elapsed cpu
    elapsed=$(python3 -c "import time; print(time.time() - $started)")
    cpu=$(python3 -c "print(round(100 * ($(cpu_ticks "$pid") - $cpu_before) / $ticks_per_second / $elapsed, 1))")
    extra="cpu_percent=$cpu peak_rss_mb=$(peak_rss_mb "$pid")"
  fi
  echo "$side $rate $load_line $(tail -n 1 "$out") $extra" | tee -a "$workdir/results"
}

# riot.
riot_log=${result_json%.json}.riot.log
"$riot" replicate --mode live "$source_uri" "redis://127.0.0.1:$target_port" --progress none "$@" \
  >"$riot_log" 2>&1 &
riot_pid=$!
until [ "$(redis-cli -p "$source_port" pubsub numpat)" -ge 1 ]; do
  kill -0 "$riot_pid" 2>/dev/null || { echo "riot failed; its log ($riot_log):" >&2; tail -n 30 "$riot_log" >&2; exit 1; }
  sleep 0.05
done
for rate in $rates; do measure riot "redis://127.0.0.1:$target_port" "$rate" "$riot_pid"; done
kill -INT "$riot_pid"
riot_status=0
wait "$riot_pid" || riot_status=$?
[ "$riot_status" = 130 ] || { echo "riot ended with exit $riot_status; its log ($riot_log):" >&2; tail -n 30 "$riot_log" >&2; exit 1; }

# Native replica.
redis-cli -p "$replica_port" replicaof 127.0.0.1 "$source_port" >/dev/null
until redis-cli -p "$replica_port" info replication | grep -q '^master_link_status:up'; do sleep 0.05; done
for rate in $rates; do measure native "redis://127.0.0.1:$replica_port" "$rate"; done

mkdir -p "$(dirname "$result_json")"
python3 - "$workdir/results" "$result_json" "$*" <<'PY'
import json, sys
results_path, json_path, options = sys.argv[1:4]
rows = {}
for line in open(results_path):
    side, rate, *pairs = line.split()
    fields = dict(pair.split("=", 1) for pair in pairs)
    rows.setdefault(int(rate), {})[side] = {k: float(v) for k, v in fields.items()}
json.dump({"riot_options": options.split(), "rates": [
    {"rate": rate, **sides} for rate, sides in sorted(rows.items())]}, open(json_path, "w"), indent=1)

header = ("rate/s", "sent/s", "riot p50 ms", "p99 ms", "max ms", "native p50 ms", "p99 ms",
          "kept up", "riot CPU %", "peak MB")
table = [header]
for rate, sides in sorted(rows.items()):
    riot, native = sides.get("riot", {}), sides.get("native", {})
    kept_up = "yes" if riot.get("kept_up") == 1 else "no"
    if riot.get("behind_ms", 0) > 100:
        kept_up += " (load behind)"
    table.append((f"{rate:,}", f'{riot.get("rate", 0):,.0f}', f'{riot.get("p50_ms", 0):.2f}',
                  f'{riot.get("p99_ms", 0):.2f}', f'{riot.get("max_ms", 0):.2f}',
                  f'{native.get("p50_ms", 0):.2f}', f'{native.get("p99_ms", 0):.2f}', kept_up,
                  f'{riot.get("cpu_percent", 0):.1f}', f'{riot.get("peak_rss_mb", 0):.0f}'))
widths = [max(len(row[i]) for row in table) for i in range(len(header))]
print()
for row in table:
    print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
print(f"\nresults written to {json_path}")
PY
echo "riot's log: $riot_log"
