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

# A free port; with "cluster", one of at most 55535 whose cluster bus port
# (10000 higher) is free too, as a cluster node needs.
free_port() {
  python3 - "${1:-}" <<'PY'
import socket, sys
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return s.getsockname()[1]
        except OSError:
            return None
if sys.argv[1] != "cluster":
    print(free(0))
else:
    import random
    while True:
        port = random.randint(20000, 55535)
        if free(port) and free(port + 10000):
            print(port)
            break
PY
}

# Starts a server and sets started_port once it answers PING. (It prints
# nothing: called in a $(...) subshell, the server's pid would be lost.)
start_redis_server() {
  local name=$1
  shift
  local port dir=$RIOT_SERVERS_DIR/$name kind=
  [[ " $* " == *" --cluster-enabled yes "* ]] && kind=cluster
  port=$(free_port $kind)
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

# Starts a Redis Cluster of MASTERS masters (each with REPLICAS replicas),
# every node a throw-away server as above, and waits until every node reports
# cluster_state:ok. Sets started_cluster_ports (masters first, as
# redis-cli --cluster create assigns them) and started_port (a seed node).
#   start_redis_cluster NAME MASTERS [REPLICAS] [redis-server options...]
start_redis_cluster() {
  local name=$1 masters=$2 replicas=${3:-0}
  shift 3 2>/dev/null || shift $#
  local nodes=$((masters * (1 + replicas))) i addresses=() port
  started_cluster_ports=()
  for i in $(seq "$nodes"); do
    start_redis_server "$name-$i" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 5000 "$@" || return 1
    started_cluster_ports+=("$started_port")
    addresses+=("127.0.0.1:$started_port")
  done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas "$replicas" --cluster-yes \
    >"$RIOT_SERVERS_DIR/$name-create.log" 2>&1 || {
    echo "redis-cli --cluster create failed for $name:" >&2
    cat "$RIOT_SERVERS_DIR/$name-create.log" >&2
    return 1
  }
  for port in "${started_cluster_ports[@]}"; do
    for _ in $(seq 300); do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      sleep 0.1
    done
  done
  started_port=${started_cluster_ports[0]}
}
