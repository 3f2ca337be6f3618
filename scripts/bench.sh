#!/usr/bin/env bash
# Runs the Google Benchmark suite (tests/bench/) on the optimised `release` preset build
# and writes one JSON file per benchmark executable, plus machine.txt describing the
# machine, into an output directory, so figures can be compared between revisions
# (e.g. with Google Benchmark's tools/compare.py). See docs/performance.md.
#
# Usage: scripts/bench.sh [out_dir]     (default: out/bench/, relative to the repo root)
# Takes about three minutes on 2 cores; run it on an otherwise idle machine.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_begin out/bench "${1:-}"

cmake --preset release
# The bench target builds the benchmarks, runs them and writes JSON to build/release/bench/.
cmake --build --preset release --target bench

cp build/release/bench/*.json "$out_dir"/
bench_machine "$out_dir/machine.txt"
echo "bench: results in $out_dir"
