#!/usr/bin/env bash
# Installs riot into a temporary prefix, builds the example plugin of
# docs/examples/keylist-sink out of tree with find_package(riot), and checks
# that the installed riot loads it and runs a pipeline through it.
#   out_of_tree_plugin.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
source "$source_dir/scripts/redis-servers.sh"
work=$RIOT_SERVERS_DIR

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/docs/examples/keylist-sink" -B "$work/plugin" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/plugin" >/dev/null
riot="$work/prefix/bin/riot"

# The installed launcher lists its bundled plugins and the new one.
listing=$("$riot" --plugin-path "$work/plugin" plugins)
for name in source.scan codec.dump sink.restore sink.null sink.keylist; do
  grep -q "$name" <<<"$listing" || { echo "missing $name in: $listing" >&2; exit 1; }
done

start_redis_server source
port=$started_port
redis-cli -p "$port" mset a 1 b 2 c 3 >/dev/null

cat >"$work/pipeline.json" <<JSON
{"stages": {
  "source": {"component": "source.scan", "config": {"uri": "redis://127.0.0.1:$port"}},
  "reader": {"component": "codec.dump", "config": {"uri": "redis://127.0.0.1:$port"}},
  "sink": {"component": "sink.keylist", "threads": 1, "config": {"path": "$work/keys.txt"}}}}
JSON
"$riot" --plugin-path "$work/plugin" run "$work/pipeline.json" --progress none -q
sort "$work/keys.txt" | cut -f1 | tr '\n' ' ' | grep -qx 'a b c ' ||
  { echo "unexpected keylist output:" >&2; cat "$work/keys.txt" >&2; exit 1; }
echo "out-of-tree plugin built, loaded and run"
