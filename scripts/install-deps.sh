#!/usr/bin/env bash
# Installs what riot needs to build and test on Debian 12 (as root).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libhiredis-dev libboost-dev libboost-filesystem-dev libboost-program-options-dev
  libspdlog-dev libfmt-dev libssl-dev nlohmann-json3-dev
  libre2-dev prometheus-cpp-dev  # key regexes (RE2), the metrics endpoint
  libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools time python3 bc
  faketime  # the tests run riot with a skewed clock
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's redis-server package starts a system instance; riot never uses it
# (its demo and tests start their own servers on free ports).
