#!/usr/bin/env bash
# Runs the snapshot benchmarks, one dataset after the other, prints one table
# and writes every result to one JSON file. See benchmarks/README.md.
#
#   bash scripts/build.sh
#   benchmarks/run.sh [riot replicate options...]
#
# Environment: DATASETS ("A B C"), RIOT_BUILD_DIR (build), RESULT_JSON
# ($RIOT_BUILD_DIR/benchmark-results.json), QUICK=1 (small datasets, for a
# check that everything works: A 110,000 keys, B 600, C 400,000), and what
# benchmarks/snapshot.sh reads (STRINGS, HASHES, MIXED, COMPARE_DEPTHS, ...:
# they apply to every dataset that uses them). Each dataset's copy is then
# compared (--mode compare, quick and full), timed beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RIOT_BUILD_DIR:-build}
datasets=${DATASETS:-A B C}
result_json=${RESULT_JSON:-$build/benchmark-results.json}
riot=$build/bin/riot
[ -x "$riot" ] || { echo "$riot not found: build first (bash scripts/build.sh)" >&2; exit 1; }
for dataset in $datasets; do
  case $dataset in
    A | B | C) ;;
    *) echo "unknown dataset '$dataset' in DATASETS (A, B or C)" >&2; exit 2 ;;
  esac
done
mkdir -p "$build"
parts=$(mktemp -d "${TMPDIR:-/tmp}/riot-bench.XXXXXX")
trap 'rm -rf "$parts"' EXIT

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memory_gb=$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
redis_version=$(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')
riot_version=$("$riot" --version 2>/dev/null | head -n 1)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "riot snapshot benchmarks, $started"
echo "machine: $(nproc) CPUs ($cpu), $memory_gb GB, $(uname -sr)"
echo "redis-server $redis_version; $riot_version, ${build_type:-unknown} build, commit $commit"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "datasets: $datasets; riot options: ${*:-(defaults)}"

failed=()
for dataset in $datasets; do
  echo
  echo "=== dataset $dataset ==="
  sizes=()
  if [ "${QUICK:-0}" = 1 ]; then
    case $dataset in
      A) sizes=(STRINGS="${STRINGS:-100000}" HASHES="${HASHES:-10000}") ;;
      B) sizes=(MIXED="${MIXED:-600}") ;;
      C) sizes=(STRINGS="${STRINGS:-363637}" HASHES="${HASHES:-36363}") ;;
    esac
  fi
  rm -f "$build/benchmark-$dataset.json"
  start=$(date +%s.%N)
  if env "${sizes[@]}" DATASET="$dataset" RIOT_BUILD_DIR="$build" \
    RESULT_JSON="$build/benchmark-$dataset.json" benchmarks/snapshot.sh "$@"; then
    cp "$build/benchmark-$dataset.json" "$parts/$dataset.json"
  else
    failed+=("$dataset")
    # Whatever it measured before failing, marked as failed.
    if [ -f "$build/benchmark-$dataset.json" ]; then cp "$build/benchmark-$dataset.json" "$parts/$dataset.json"; fi
  fi
  echo "$(date +%s.%N) - $start" | bc >"$parts/$dataset.total"
done

python3 - "$result_json" "$parts" "$*" "${failed[*]:-}" <<PY
import json, os, sys
out_path, parts, options, failed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
results = []
for dataset in "$datasets".split():
    path = os.path.join(parts, dataset + ".json")
    result = {"dataset": dataset}
    if os.path.exists(path):
        with open(path) as f:
            result = json.load(f)
    result["failed"] = dataset in failed
    total = os.path.join(parts, dataset + ".total")
    if os.path.exists(total):
        result["total_seconds"] = round(float(open(total).read()), 1)
    results.append(result)
document = {
    "started": "$started",
    "machine": {"nproc": $(nproc), "cpu": "$cpu", "memory_gb": $memory_gb, "kernel": "$(uname -sr)"},
    "redis_version": "$redis_version", "riot_version": "$riot_version",
    "build_type": "$build_type", "commit": "$commit",
    "riot_options": options.split(), "results": results,
}
with open(out_path, "w") as f:
    json.dump(document, f, indent=1)
    f.write("\n")

print()
# One group of columns per riot type (dump, struct), in the order run.
types = []
for r in results:
    for name in r.get("types", {}):
        if name not in types:
            types.append(name)
header = ("dataset", "keys", "data MB", "src MB", "native s")
for name in types:
    header += (f"{name} s", "ratio", "peak MB", "CPU s")
# The comparisons of the first type's copy (quick and full), beside it.
depths = []
for r in results:
    for depth in r.get("compare", {}):
        if depth not in depths:
            depths.append(depth)
for depth in depths:
    header += (f"{depth} cmp s", "peak MB", "CPU s")
header += ("total s",)
rows = []
for r in results:
    if "riot_seconds" not in r:
        rows.append((r["dataset"], "failed") + ("",) * (len(header) - 2))
        continue
    row = (r["label"] + (" (FAILED)" if r["failed"] else ""), f'{r["keys"]:,}',
           f'{r["payload_bytes"] // 2**20:,}', f'{r["source_used_memory"] // 2**20:,}',
           f'{r["native_seconds"]:.2f}')
    for name in types:
        run = r["types"].get(name)
        row += (f'{run["seconds"]:.2f}', f'{run["ratio"]:.2f}', str(run["peak_rss_mb"]),
                f'{run["cpu_seconds"]:.2f}') if run else ("", "", "", "")
    for depth in depths:
        run = r.get("compare", {}).get(depth)
        row += (f'{run["seconds"]:.2f}', str(run["peak_rss_mb"]),
                f'{run["cpu_seconds"]:.2f}') if run else ("", "", "")
    rows.append(row + (f'{r.get("total_seconds", 0):.0f}',))
widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
for row in [header] + rows:
    print("  ".join(str(cell).rjust(width) if i else str(cell).ljust(width)
                    for i, (cell, width) in enumerate(zip(row, widths))))
print(f"\nresults written to {out_path}")
PY
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
