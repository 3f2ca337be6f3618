#!/usr/bin/env bash
# Quick start, command 1: set up, build (release) and run the flagship scenario.
# Prints the summary table and the expectation verdicts, and writes the results
# (results.json, runs.jsonl, results.csv) and the self-contained HTML report to
# out/flagship-vendor-outage/. Extra arguments go to `faultline run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target faultline
out=out/flagship-vendor-outage
./build/release/sim/faultline run scenarios/flagship-vendor-outage.yaml --out "$out" \
  --report "$out/report.html" "$@"
echo "report: $out/report.html (open it in a browser; it works offline)"
