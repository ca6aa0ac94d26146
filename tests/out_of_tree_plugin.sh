#!/usr/bin/env bash
# Installs riot into a temporary prefix, builds the example plugins of
# docs/examples out of tree with find_package(riot), and checks that the
# installed riot loads them and runs a pipeline through each:
# - keylist-sink: a sink, fed by codec.dump;
# - riotblobs-datatype: the datatype of a module type, used by codec.struct
#   and sink.struct between two servers that load the tests' module MODULE.
#   out_of_tree_plugin.sh SOURCE_DIR BUILD_DIR MODULE
set -euo pipefail
source_dir=$1
build_dir=$2
module=$3
source "$source_dir/scripts/redis-servers.sh"
work=$RIOT_SERVERS_DIR

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
build_example() {
  cmake -S "$source_dir/docs/examples/$1" -B "$work/$1" -G Ninja \
    -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/$1" >/dev/null
}
build_example keylist-sink
build_example riotblobs-datatype
riot="$work/prefix/bin/riot"
plugins=(--plugin-path "$work/keylist-sink" --plugin-path "$work/riotblobs-datatype")

# The installed launcher lists its bundled plugins and the new ones.
listing=$("$riot" "${plugins[@]}" plugins)
for name in source.scan codec.dump sink.restore sink.null sink.keylist datatype.riotblobs; do
  grep -q "$name" <<<"$listing" || { echo "missing $name in: $listing" >&2; exit 1; }
done

start_redis_server source --loadmodule "$module"
source_port=$started_port
start_redis_server target --loadmodule "$module"
target_port=$started_port
redis-cli -p "$source_port" mset a 1 b 2 c 3 >/dev/null

cat >"$work/keylist.json" <<JSON
{"stages": {
  "source": {"component": "source.scan", "config": {"uri": "redis://127.0.0.1:$source_port"}},
  "reader": {"component": "codec.dump", "config": {"uri": "redis://127.0.0.1:$source_port"}},
  "sink": {"component": "sink.keylist", "threads": 1, "config": {"path": "$work/keys.txt"}}}}
JSON
"$riot" "${plugins[@]}" run "$work/keylist.json" --progress none -q
sort "$work/keys.txt" | cut -f1 | tr '\n' ' ' | grep -qx 'a b c ' ||
  { echo "unexpected keylist output:" >&2; cat "$work/keys.txt" >&2; exit 1; }

redis-cli -p "$source_port" riotblobs.set blobs:1 one "" $'three\r\n' >/dev/null
redis-cli -p "$source_port" riotblobs.set blobs:2 >/dev/null  # no blobs at all
cat >"$work/riotblobs.json" <<JSON
{"stages": {
  "source": {"component": "source.scan", "config": {"uri": "redis://127.0.0.1:$source_port"}},
  "reader": {"component": "codec.struct", "config": {"uri": "redis://127.0.0.1:$source_port"}},
  "sink": {"component": "sink.struct", "config": {"uri": "redis://127.0.0.1:$target_port"}}}}
JSON
"$riot" "${plugins[@]}" run "$work/riotblobs.json" --progress none -q
for key in blobs:1 blobs:2; do
  expected=$(redis-cli -p "$source_port" --no-raw riotblobs.get "$key")
  actual=$(redis-cli -p "$target_port" --no-raw riotblobs.get "$key")
  [[ "$actual" == "$expected" ]] ||
    { echo "$key on the target: $actual, expected: $expected" >&2; exit 1; }
done
echo "out-of-tree plugins built, loaded and run"
