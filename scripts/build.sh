#!/usr/bin/env bash
# Builds the extension (target/release/libcloste.so) and the simulator
# (target/release/closte-sim) in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --workspace --quiet
