#!/usr/bin/env bash
# Installs dependencies, builds riot, starts two throw-away redis-server
# instances on free ports, fills the source with sample data of every type and
# replicates it into the target with `riot replicate`, showing progress and
# the summary. The servers are stopped (by their pid) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
riot=build/bin/riot
keys=${DEMO_KEYS:-500000}

source scripts/redis-servers.sh
start_redis_server source --enable-debug-command local
source_port=$started_port
start_redis_server target
target_port=$started_port

echo "Filling the source (127.0.0.1:$source_port) with $keys strings and keys of every type..."
redis-cli -p "$source_port" debug populate "$keys" demo:string 100 >/dev/null
for i in $(seq 1 200); do
  echo "HSET demo:hash:$i name user$i email user$i@example.com visits $i"
  echo "RPUSH demo:list:$i a b c $i"
  echo "SADD demo:set:$i x y z $i"
  echo "ZADD demo:zset:$i 1 one 2 two $i n$i"
  echo "XADD demo:stream:$i * event login user $i"
  echo "EXPIRE demo:hash:$i 86400"
done | redis-cli -p "$source_port" >/dev/null
echo "Source holds $(redis-cli -p "$source_port" dbsize) keys; target holds $(redis-cli -p "$target_port" dbsize)."
echo

echo "\$ riot replicate redis://127.0.0.1:$source_port redis://127.0.0.1:$target_port"
"$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port"

echo
echo "Target now holds $(redis-cli -p "$target_port" dbsize) keys."
