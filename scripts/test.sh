#!/usr/bin/env bash
# Quick start, command 2: set up, build (dev preset) and run every test.
# Pass a preset name (dev, release, asan) to test another build; default dev.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/setup.sh --test
scripts/npm-test-clients.sh   # the twilio helper library for the vendor emulator's tests
cmake --preset "$preset" >/dev/null
tests/adapters/npm/install.sh build/npm/proxy  # toxiproxy-node-client for the proxy's tests
cmake --build --preset "$preset"
ctest --preset "$preset" --timeout 900 --parallel 2
