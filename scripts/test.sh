#!/usr/bin/env bash
# Installs dependencies, builds riot and runs the whole test suite (unit and
# integration tests against redis-server processes the tests start themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh "$@"
cd "${RIOT_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 -j"$(nproc)"
