#!/usr/bin/env bash
# Measures issue 7's targets through the CLI (docs/performance.md, "Targets"): generates
# temporary copies of the reference scenario (tests/bench/reference-scenario.yaml) and of
# the flagship and incident-family scenarios with 1e5, 1e6 and 1e7 borrowers over a
# 35-day horizon (expectations stripped), runs each with
#   /usr/bin/time faultline run COPY --jobs 1 --replications 1 --profile
# and writes one row per run to OUT/perf.tsv: wall, user and system seconds, peak RSS,
# events and the simulate phase from profile.json. Then the hand-written loop at the same
# sizes (reference_loop_bench) and --jobs 1 vs --jobs 2 on 4 replications.
#
# Usage: scripts/perf.sh [out_dir]           (default: out/perf/)
#   FAULTLINE=path/to/faultline  BENCH=path/to/reference_loop_bench   (default: release preset)
#   SIZES="100000 1000000"  REPEAT=3  SCENARIOS="reference flagship"  SKIP_JOBS=1
# Runs take minutes at 1e7 borrowers; the generated scenarios live in a temporary folder
# that is removed afterwards. Run it on an otherwise idle machine: it records the load.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"
bench_begin out/perf "${1:-}"
bench="${BENCH:-build/release/tests/bench/reference_loop_bench}"
sizes="${SIZES:-100000 1000000 10000000}"
repeat="${REPEAT:-3}"
scenarios="${SCENARIOS:-reference flagship mortgage cash carloan link quickpay otp}"
bench_require_bin perf

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

source_of() {
  case "$1" in
    reference) echo tests/bench/reference-scenario.yaml ;;
    flagship) echo scenarios/flagship-vendor-outage.yaml ;;
    mortgage) echo scenarios/mortgage-sms-disappeared.yaml ;;
    cash) echo scenarios/cash-loan-phones-suspended.yaml ;;
    carloan) echo scenarios/car-loan-information-lost.yaml ;;
    link) echo scenarios/loan-link-expired.yaml ;;
    quickpay) echo scenarios/quick-pay-failure.yaml ;;
    otp) echo scenarios/cash-loan-otp-blocked.yaml ;;
    *) echo "perf: unknown scenario $1" >&2; exit 2 ;;
  esac
}

# A copy with N borrowers, a 35-day horizon and no `expect:` block (one replication
# cannot judge intervals, and a huge copy is not what the thresholds were written for).
make_copy() {
  local name="$1" n="$2" dst="$tmp/$1-$2.yaml"
  awk -v n="$n" '
    /^[A-Za-z_]+:/ { skip = ($1 == "expect:") }
    skip { next }
    /^horizon:/ { print "horizon: 35d"; next }
    /^  borrowers:/ { print "  borrowers: " n; next }
    { print }' "$(source_of "$name")" > "$dst"
  echo "$dst"
}

json_field() {  # json_field FILE KEY → a top-level number of profile.json
  sed -n "s/^  \"$2\": \([0-9.e+-]*\).*/\1/p" "$1" | head -n 1
}

tsv="$out_dir/perf.tsv"
printf 'what\tborrowers\tjobs\treplications\trun\twall_s\tuser_s\tsys_s\tpeak_rss_kib\tevents\tsimulate_s\tload1\n' > "$tsv"

run_cli() {  # run_cli LABEL FILE N JOBS REPS RUN
  local label="$1" file="$2" n="$3" jobs="$4" reps="$5" k="$6" out="$tmp/out-$1-$3-$4-$6"
  local load
  load="$(cut -d ' ' -f 1 /proc/loadavg)"
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
    "$bin" run "$file" --jobs "$jobs" --replications "$reps" --profile --out "$out" > /dev/null 2> "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; exit 1; }
  read -r wall user sys rss < "$tmp/time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$n" "$jobs" "$reps" "$k" "$wall" "$user" "$sys" "$rss" \
    "$(json_field "$out/profile.json" events)" "$(sed -n 's/^    "simulate": \([0-9.e+-]*\).*/\1/p' "$out/profile.json")" \
    "$load" | tee -a "$tsv"
  rm -rf "$out"
}

for name in $scenarios; do
  for n in $sizes; do
    file="$(make_copy "$name" "$n")"
    reps="$repeat"
    [[ "$n" -ge 10000000 ]] && reps=1  # one run of the big copies is minutes
    for ((k = 1; k <= reps; ++k)); do run_cli "$name" "$file" "$n" 1 1 "$k"; done
  done
done

# The hand-written loop at the same sizes, in the same session.
if [[ -x "$bench" ]]; then
  "$bench" --benchmark_out="$out_dir/reference_loop_bench.json" --benchmark_out_format=json \
    --benchmark_repetitions="$repeat" | tee "$out_dir/reference_loop_bench.txt"
fi

# Replications across cores: the flagship at 1e6 borrowers, 4 replications.
if [[ -z "${SKIP_JOBS:-}" ]]; then
  file="$(make_copy flagship 1000000)"
  for ((k = 1; k <= repeat; ++k)); do
    run_cli flagship-x4 "$file" 1000000 1 4 "$k"
    run_cli flagship-x4 "$file" 1000000 2 4 "$k"
  done
fi

bench_machine "$out_dir/machine.txt"  # the load average at the end
echo "perf: $tsv"
