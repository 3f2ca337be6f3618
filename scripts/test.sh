#!/usr/bin/env bash
# Quick start, command 2: set up, build (dev preset) and run every test.
# Pass a preset name (dev, release, asan) to test another build; default dev.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/setup.sh --test
scripts/npm-test-clients.sh   # twilio (vendor emulator) and toxiproxy-node-client (proxy)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 900 --parallel 2
