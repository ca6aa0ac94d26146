# Sourced by the demo, the benchmarks and the shell tests: throw-away
# redis-server instances on free loopback ports, stopped by their pid (never
# by name) when the calling script exits.
#
#   source scripts/redis-servers.sh
#   start_redis_server NAME [redis-server options...]; port=$started_port

RIOT_SERVERS_DIR=$(mktemp -d /tmp/riot-servers.XXXXXX)
RIOT_SERVER_PIDS=()

stop_redis_servers() {
  local pid
  for pid in "${RIOT_SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${RIOT_SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$RIOT_SERVERS_DIR"
}
trap stop_redis_servers EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a server and sets started_port once it answers PING. (It prints
# nothing: called in a $(...) subshell, the server's pid would be lost.)
start_redis_server() {
  local name=$1
  shift
  local port dir=$RIOT_SERVERS_DIR/$name
  port=$(free_port)
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
    --logfile "$dir/redis.log" "$@" >/dev/null &
  RIOT_SERVER_PIDS+=($!)
  for _ in $(seq 100); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      started_port=$port
      return 0
    fi
    sleep 0.1
  done
  echo "redis-server $name did not start:" >&2
  cat "$dir/redis.log" >&2
  return 1
}
