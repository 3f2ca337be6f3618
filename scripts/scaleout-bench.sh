#!/usr/bin/env bash
# Measures issue 17's scale-out figures (docs/performance.md, "Scale-out"):
# 1. scaling: an 8-point sweep × 4 strategies × 10 replications at 1,000,000 borrowers
#    (the flagship scenario with its outage duration swept from 6 h to 48 h), run with
#    `mpirun -np 1` and `mpirun -np 2`, one thread per rank, alternately, REPEAT rounds;
#    each run's wall time and the load average before it; the outputs of both must be
#    byte-identical;
# 2. the per-unit overhead of MPI: tests/scaleout/data/tiny-sweep.yaml (units of about a
#    millisecond) at 1,000 and at 12 units, on two ranks and on two threads; the slope
#    difference, (T_mpi(1000) − T_mpi(12)) − (T_threads(1000) − T_threads(12)), over 988
#    units, is what a unit costs more over MPI than over threads (startup cancels out);
# 3. the per-unit cost of merge: the same 1,000 units as 1,000 shard files and as 1 file.
#
# Usage: scripts/scaleout-bench.sh [out_dir]            (default: out/scaleout-bench/)
#   FAULTLINE=path/to/faultline (default: the release preset)  REPEAT=3  SKIP_SCALING=1
#   REPLICATIONS=10 (the scaling study's; fewer only to fit a loaded machine's time)
# Run it on an otherwise idle machine (`uptime` load < 1.5): it records the load.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_begin out/scaleout-bench "${1:-}"
repeat="${REPEAT:-3}"
bench_require_bin scaleout-bench
command -v mpirun >/dev/null || { echo "scaleout-bench: no mpirun (scripts/setup.sh --test installs Open MPI)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 CI=1

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
# Wall seconds of a command (its output to $tmp/log); with CPU=1, a tab and its CPU
# seconds (user + system, its children included: mpirun waits for its ranks).
timed() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; return 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v cpu="${CPU:-}" -v c="$(cat "$tmp/cpu")" \
    'BEGIN {split(c, t, " "); printf "%.3f", b - a; if (cpu) printf "\t%.2f", t[1] + t[2]; printf "\n"}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" | tee "$out_dir/scaleout.tsv"
echo "# faultline: $("$bin" --version); $(mpirun --version | head -1)" | tee -a "$out_dir/scaleout.tsv"

if [[ -z "${SKIP_SCALING:-}" ]]; then
  study="$tmp/scaleout-study.yaml"
  # The flagship at 1e6 borrowers, 10 replications, an 8-point sweep; expectations stripped.
  sed -e 's/^  borrowers: 200000/  borrowers: 1000000/' -e "s/^replications: 20/replications: ${REPLICATIONS:-10}/" \
      -e '/^expect:/,$d' scenarios/flagship-vendor-outage.yaml >"$study"
  printf 'sweep:\n  faults[0].duration: [6h, 12h, 18h, 24h, 30h, 36h, 42h, 48h]\n' >>"$study"
  echo "# scaling study: 8 points x 4 strategies x ${REPLICATIONS:-10} replications at 1e6 borrowers" | tee -a "$out_dir/scaleout.tsv"
  echo -e "what\tround\tload_before\twall_s\tcpu_s" | tee -a "$out_dir/scaleout.tsv"
  for r in $(seq 1 "$repeat"); do
    for np in 1 2; do
      l=$(load)
      s=$(CPU=1 timed mpirun -np "$np" "$bin" run "$study" --jobs 1 --out "$tmp/np$np")
      echo -e "np$np\t$r\t$l\t$s" | tee -a "$out_dir/scaleout.tsv"
    done
    for f in results.json runs.jsonl results.csv; do
      cmp -s "$tmp/np1/$f" "$tmp/np2/$f" || { echo "scaleout-bench: np1 and np2 differ in $f" >&2; exit 1; }
    done
  done
  np1=$(awk -F'\t' '$1=="np1" {print $4}' "$out_dir/scaleout.tsv" | median)
  np2=$(awk -F'\t' '$1=="np2" {print $4}' "$out_dir/scaleout.tsv" | median)
  echo "# scaling: median np1 ${np1} s, np2 ${np2} s, speed-up $(awk -v a="$np1" -v b="$np2" 'BEGIN {printf "%.2f", a / b}')x; outputs identical" | tee -a "$out_dir/scaleout.tsv"
  c1=$(awk -F'\t' '$1=="np1" {print $5}' "$out_dir/scaleout.tsv" | median)
  c2=$(awk -F'\t' '$1=="np2" {print $5}' "$out_dir/scaleout.tsv" | median)
  # On a machine shared with other work the wall-time ratio measures the load; the CPU
  # seconds show what two ranks add in work (their ratio is 2x when MPI costs nothing).
  echo "# CPU (user+sys): median np1 ${c1} s, np2 ${c2} s; speed-up if both cores were free $(awk -v a="$c1" -v b="$c2" 'BEGIN {printf "%.2f", 2 * a / b}')x" | tee -a "$out_dir/scaleout.tsv"
fi

# Per-unit overhead of MPI against threads, and of merge.
tiny=tests/scaleout/data/tiny-sweep.yaml
echo -e "what\tunits\tload_before\twall_s\tcpu_s" | tee -a "$out_dir/scaleout.tsv"
for r in $(seq 1 "$repeat"); do
  for reps in 250 3; do
    units=$((reps * 4))
    l=$(load); s=$(CPU=1 timed mpirun -np 2 "$bin" run "$tiny" --replications "$reps" --jobs 1 --out "$tmp/t")
    echo -e "mpi_np2\t$units\t$l\t$s" | tee -a "$out_dir/scaleout.tsv"
    l=$(load); s=$(CPU=1 timed "$bin" run "$tiny" --replications "$reps" --jobs 2 --out "$tmp/t")
    echo -e "threads_2\t$units\t$l\t$s" | tee -a "$out_dir/scaleout.tsv"
  done
done
m() { awk -F'\t' -v w="$1" -v u="$2" -v c="${3:-4}" '$1==w && $2==u {print $c}' "$out_dir/scaleout.tsv" | median; }
per_unit=$(awk -v a="$(m mpi_np2 1000)" -v b="$(m mpi_np2 12)" -v c="$(m threads_2 1000)" \
  -v d="$(m threads_2 12)" 'BEGIN {printf "%.3f", ((a - b) - (c - d)) / 988 * 1000}')
echo "# MPI overhead per unit against threads: ${per_unit} ms (medians; startup cancels)" | tee -a "$out_dir/scaleout.tsv"
per_unit_cpu=$(awk -v a="$(m mpi_np2 1000 5)" -v b="$(m mpi_np2 12 5)" -v c="$(m threads_2 1000 5)" \
  -v d="$(m threads_2 12 5)" 'BEGIN {printf "%.3f", ((a - b) - (c - d)) / 988 * 1000}')
echo "# MPI overhead per unit against threads in CPU (user+sys, both ranks): ${per_unit_cpu} ms" | tee -a "$out_dir/scaleout.tsv"
echo "# MPI startup (mpirun -np 2, 12 units) $(m mpi_np2 12) s vs threads $(m threads_2 12) s" | tee -a "$out_dir/scaleout.tsv"

# Merge: 1,000 shard files of one unit each, and one file of all 1,000.
for k in $(seq 1 1000); do echo "$k"; done | xargs -P 2 -I{} "$bin" run "$tiny" --jobs 1 --shard {}/1000 --out "$tmp/s1000" >/dev/null 2>&1
"$bin" run "$tiny" --jobs 2 --shard 1/1 --out "$tmp/s1" >/dev/null 2>&1
echo -e "what\tfiles\tload_before\twall_s\tcpu_s" | tee -a "$out_dir/scaleout.tsv"
for r in $(seq 1 "$repeat"); do
  for files in 1000 1; do
    l=$(load); s=$(CPU=1 timed "$bin" merge "$tmp/s$files" --out "$tmp/m$files")
    echo -e "merge\t$files\t$l\t$s" | tee -a "$out_dir/scaleout.tsv"
  done
done
cmp -s "$tmp/m1/results.json" "$tmp/m1000/results.json" || { echo "scaleout-bench: merges differ" >&2; exit 1; }
mf() { awk -F'\t' -v f="$1" '$1=="merge" && $2==f {print $4}' "$out_dir/scaleout.tsv" | median; }
mc() { awk -F'\t' -v f="$1" '$1=="merge" && $2==f {print $5}' "$out_dir/scaleout.tsv" | median; }
echo "# merge of 1,000 units: 1,000 files $(mf 1000) s (CPU $(mc 1000) s), 1 file $(mf 1) s (CPU $(mc 1) s)" | tee -a "$out_dir/scaleout.tsv"
