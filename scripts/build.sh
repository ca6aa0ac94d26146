#!/usr/bin/env bash
# Configures and builds riot into ./build (extra arguments go to cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${RIOT_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
