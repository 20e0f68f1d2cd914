#!/usr/bin/env bash
# Sourced by the demo and the tests: starts the simulator on a free loopback
# port and sets CLOSTE_SIM_URL; stops it when the calling script exits.
# Usage: source scripts/sim.sh; start_simulator [extra closte-sim args]

start_simulator() {
    local root port_file
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    port_file="$(mktemp)"
    rm -f "$port_file"
    "$root/target/release/closte-sim" --listen 127.0.0.1:0 --port-file "$port_file" --quiet "$@" >/dev/null &
    CLOSTE_SIM_PID=$!
    trap 'kill "$CLOSTE_SIM_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        [ -s "$port_file" ] && break
        sleep 0.05
    done
    if [ ! -s "$port_file" ]; then
        echo "closte-sim did not start" >&2
        return 1
    fi
    CLOSTE_SIM_URL="http://127.0.0.1:$(cat "$port_file")"
    rm -f "$port_file"
    export CLOSTE_SIM_URL CLOSTE_SIM_PID
}
