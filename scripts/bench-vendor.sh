#!/usr/bin/env bash
# The SMS-vendor emulator's benchmark (docs/performance.md): accepted messages per second
# with status callbacks on, and memory under overload. Builds the release preset, starts
# `faultline vendor` on loopback (ledger on), and drives it with tests' load generator
# (adapters/vendor/load.cc: keep-alive connections, closed loop, a callback sink on the
# same loop), then overloads it with a sink that never answers.
#   scripts/bench-vendor.sh [out_dir]      (default out/bench-vendor; about 2 minutes)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_begin out/bench-vendor "${1:-}"
out="$out_dir"
cmake --preset release >/dev/null 2>&1 || cmake --preset release
cmake --build --preset release --target faultline vendor_load >/dev/null
load=build/release/adapters/vendor/vendor_load
scenario=tests/vendor/sdk.yaml  # every message delivered at once: two callbacks each

run_phase() {  # name, max-pending, sink, seconds, connections, rate (0 = closed loop)
  local name=$1 pending=$2 sink=$3 seconds=$4 conns=$5 rate=$6
  "$bin" vendor "$scenario" --listen 127.0.0.1:0 --time-scale 60 --auth-token bench \
    --max-pending "$pending" --ledger "$out/$name-ledger.jsonl" >"$out/$name-banner.txt" 2>"$out/$name-stderr.txt" &
  local pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null || true' EXIT  # never leave the emulator behind
  for _ in $(seq 100); do grep -q 'listening on' "$out/$name-banner.txt" && break; sleep 0.1; done
  local port account
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out/$name-banner.txt" | sed 's/.*://')
  account=$(awk '$1 == "alpha" {print $3}' "$out/$name-banner.txt")
  "$load" --port "$port" --account "$account" --token bench --connections "$conns" \
    --seconds "$seconds" --sink "$sink" --pid "$pid" --rate "$rate" >"$out/$name.json"
  kill -TERM "$pid"
  wait "$pid" || true
  trap - EXIT
  rm -f "$out/$name-ledger.jsonl"
  echo "$name: $(cat "$out/$name.json")"
}

bench_machine "$out/machine.txt"  # the load average before
# Open loop at 2,000/s: every message must be accepted and both its callbacks delivered.
for i in 1 2 3; do run_phase "rate2000-$i" 200000 ok 20 32 2000; done
# Closed loop: as many as the emulator answers (callbacks then fall behind: see pending).
for i in 1 2 3; do run_phase "closed-$i" 200000 ok 20 32 0; done
# Overload: a sink that never answers, 64 connections flat out, --max-pending 20000.
run_phase overload 20000 hang 30 64 0
echo "load average after: $(load_average)" >>"$out/machine.txt"
echo "bench-vendor: results in $out"
