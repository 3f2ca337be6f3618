#!/usr/bin/env bash
# Quick start, command 1: set up, build (release) and run the flagship scenario.
# Prints the summary table and where the results went.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target faultline
./build/release/sim/faultline run scenarios/flagship-vendor-outage.yaml --out out/flagship-vendor-outage "$@"
