# Sourced by the benchmark scripts (from the repository's root): finds riot
# and riot-bench-fill in the build (RIOT_BUILD_DIR, default build) and checks
# that they and the commands given as arguments are there, naming what is
# missing and how to get it. Sets build, riot and fill.
build=${RIOT_BUILD_DIR:-build}
riot=$build/bin/riot
fill=$build/bin/riot-bench-fill
[ -x "$fill" ] || fill=$build/benchmarks/riot-bench-fill
for tool in "$riot" "$fill"; do
  [ -x "$tool" ] || { echo "$tool not found: build first (bash scripts/build.sh)" >&2; exit 1; }
done
for tool in "$@"; do
  command -v "$tool" >/dev/null || { echo "$tool not found (bash scripts/install-deps.sh)" >&2; exit 1; }
done

# Stops the servers scripts/redis-servers.sh started so far (by their pids),
# so that a benchmark's next case starts with their memory free.
stop_case_servers() {
  local pid
  for pid in "${RIOT_SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${RIOT_SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  RIOT_SERVER_PIDS=()
}
