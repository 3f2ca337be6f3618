#!/usr/bin/env bash
# Checks that two faultline binaries give byte-identical outputs: results.json (all but
# tool.git_revision), runs.jsonl and results.csv of every scenarios/*.yaml
# (--replications 2 --jobs 1) and of the reference workload at 1e5 (2 replications) and
# 1e6 (1 replication). For exact performance steps (docs/performance.md, issue 21).
#
#   scripts/same-outputs.sh BEFORE_BINARY AFTER_BINARY [WORK_DIR]
#
# Each binary needs its own libfaultline_simgrid.so beside it (network-cutover-export).
# Prints one line per differing file and "N of M files identical"; exit 1 on a difference.
set -euo pipefail
before=$1 after=$2 work=${3:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
cases=()
for s in "$root"/scenarios/*.yaml; do cases+=("$(basename "$s" .yaml)|$s|2"); done
for n in 100000 1000000; do
  sed "s/^  borrowers: .*/  borrowers: $n/" "$root/tests/bench/reference-scenario.yaml" \
    >"$work/reference-$n.yaml"
  reps=$([ "$n" = 100000 ] && echo 2 || echo 1)
  cases+=("reference-$n|$work/reference-$n.yaml|$reps")
done
strip() { /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j["tool"].pop("git_revision",None); print(json.dumps(j,sort_keys=True))' "$1"; }
same=0 total=0
for c in "${cases[@]}"; do
  IFS='|' read -r name path reps <<<"$c"
  for v in before after; do
    bin=$before; [ "$v" = after ] && bin=$after
    rm -rf "$work/$v/$name"
    "$bin" run "$path" --replications "$reps" --jobs 1 --out "$work/$v/$name" >/dev/null 2>&1 ||
      echo "$name: $v exited $?"
  done
  for f in results.json runs.jsonl results.csv; do
    total=$((total + 1))
    a=$work/before/$name/$f b=$work/after/$name/$f
    if [ "$f" = results.json ] && [ -f "$a" ] && [ -f "$b" ]; then
      sa=$(strip "$a") sb=$(strip "$b")
      if [ -n "$sa" ] && [ "$sa" = "$sb" ]; then same=$((same + 1)); else echo "DIFF $name/$f"; fi
    elif [ -f "$a" ] && [ -f "$b" ] && cmp -s "$a" "$b"; then
      same=$((same + 1))
    else
      echo "DIFF $name/$f"
    fi
  done
done
echo "$same of $total files identical"
[ "$same" = "$total" ]
