#!/usr/bin/env bash
# Builds the Debian package with CPack from the build tree, unpacks it into a
# scratch root (dpkg -x: nothing is installed on the machine) and checks it:
# - the control data names a runtime dependency on each shared library riot
#   links (computed by dpkg-shlibdeps), and the files are where Debian wants
#   them (binary, plugins, SDK headers, CMake package, man page, completions,
#   docs, licence);
# - the unpacked riot prints its version and copies a database between two
#   throw-away servers, with its bundled plugins found next to it.
#   debian_package.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
source "$source_dir/scripts/redis-servers.sh"
work=$RIOT_SERVERS_DIR

fail() { echo "debian_package: $*" >&2; exit 1; }

(cd "$build_dir" && cpack -G DEB -B "$work/package" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
shopt -s nullglob
packages=("$work"/package/riot_*.deb)
[[ ${#packages[@]} -eq 1 ]] || fail "expected one riot_*.deb in $work/package"
package=${packages[0]}

depends=$(dpkg-deb -f "$package" Depends)
for library in libhiredis libssl libboost-program-options libboost-filesystem libstdc++6; do
  grep -q "$library" <<<"$depends" || fail "Depends lacks $library: $depends"
done

root=$work/root
dpkg-deb -x "$package" "$root"
for path in usr/bin/riot usr/share/man/man1/riot.1 usr/share/bash-completion/completions/riot \
  usr/share/zsh/vendor-completions/_riot usr/share/doc/riot/LICENSE usr/share/doc/riot/cli.md \
  usr/share/doc/riot/README.md usr/include/riot/version.hpp usr/lib/cmake/riot/riotConfig.cmake; do
  [[ -e $root/$path ]] || fail "the package lacks /$path"
done
plugins=("$root"/usr/lib/riot/plugins/*.so)
[[ ${#plugins[@]} -ge 5 ]] || fail "the package holds ${#plugins[@]} plugins"
grep -q -- '\\-\\-mode' "$root/usr/share/man/man1/riot.1" ||
  fail "the man page does not describe --mode"

riot=$root/usr/bin/riot
version=$("$riot" --version)
grep -q "riot" <<<"$version" || fail "riot --version printed: $version"

start_redis_server source
source_port=$started_port
start_redis_server target
target_port=$started_port
for i in $(seq 1 200); do echo "SET key:$i value-$i"; done | redis-cli -p "$source_port" >/dev/null
redis-cli -p "$source_port" hset "hash" f1 v1 f2 v2 >/dev/null
"$riot" replicate "redis://127.0.0.1:$source_port" "redis://127.0.0.1:$target_port" -q ||
  fail "the packaged riot's replicate exited $?"
[[ $(redis-cli -p "$target_port" dbsize) == 201 ]] || fail "the target holds $(redis-cli -p "$target_port" dbsize) keys"
[[ $(redis-cli -p "$target_port" hget hash f2) == v2 ]] || fail "hash not copied"
echo "the Debian package unpacks, and its riot ($version) copies a database"
