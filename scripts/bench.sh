#!/usr/bin/env bash
# Runs the Google Benchmark suite (tests/bench/) on the optimised `release` preset build
# and writes one JSON file per benchmark executable, plus machine.txt describing the
# machine, into an output directory, so figures can be compared between revisions
# (e.g. with Google Benchmark's tools/compare.py). See docs/performance.md.
#
# Usage: scripts/bench.sh [out_dir]     (default: out/bench/, relative to the repo root)
# Takes about three minutes on 2 cores; run it on an otherwise idle machine.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out_dir="${1:-out/bench}"
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

cmake --preset release
# The bench target builds the benchmarks, runs them and writes JSON to build/release/bench/.
cmake --build --preset release --target bench

cp build/release/bench/*.json "$out_dir"/
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git rev-parse --verify -q HEAD || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
  echo "nproc: $(nproc)"
  echo "compiler: $(c++ --version | head -n 1)"
  echo "load average: $(cut -d ' ' -f 1-3 /proc/loadavg)"
  lscpu | grep -v '^Flags:' | head -n 20
} > "$out_dir/machine.txt"
echo "bench: results in $out_dir"
