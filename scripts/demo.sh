#!/usr/bin/env bash
# The main job on a fresh machine: install PHP if needed, build the
# extension and the simulator, start the simulator on loopback, and map and
# unmap domains from PHP through the real .so.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
echo "building the extension and the simulator (first build takes a few minutes)..."
bash scripts/build.sh
# shellcheck source=sim.sh
source scripts/sim.sh
start_simulator
echo "closte-sim listening on $CLOSTE_SIM_URL"
echo
php -n -d extension="$root/target/release/libcloste.so" examples/map-and-unmap.php
