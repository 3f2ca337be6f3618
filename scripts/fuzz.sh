#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan+UBSan) and runs each for
# SECONDS (default 60), one after the other, on a corpus assembled from the tree.
#   scripts/fuzz.sh [SECONDS] [TARGET...]   TARGET: units expect scenario results report
#                                           (default all)
# The working corpus (build/fuzz/corpus/<target>) keeps what the fuzzer found between runs;
# it starts from tests/fuzz/corpus/<target> plus scenarios/*.yaml and tests/data/*.yaml
# (scenario; also the scenario text of the expect and results seeds); the report target
# starts from the results corpus (the same input: a results.json). A crash, leak,
# timeout or out-of-memory input is written to build/fuzz/findings/<target>/ and the script
# fails; turn it into a GoogleTest (tests/unit/fuzz_regression_test.cc) with the fix.
# Executions per target are appended to build/fuzz/stats.tsv (docs/reliability.md).
# For long runs on a shared machine: nice -n 19 scripts/fuzz.sh 3600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(units expect scenario results report)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[[ -f build/fuzz/build.ninja ]] || cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build --preset fuzz

root=build/fuzz
mkdir -p "$root/dict"
# The scenario dictionary: every key and every bare word value the shipped scenarios use.
cat scenarios/*.yaml tests/data/*.yaml |
  grep -oE '[A-Za-z_][A-Za-z0-9_]*:|\b[a-z][a-z0-9_]{2,}\b' | sort -u |
  sed 's/.*/"&"/' >"$root/dict/scenario.dict"

status=0
for t in "${targets[@]}"; do
  exe="$root/tests/fuzz/fuzz_$t"
  [[ -x "$exe" ]] || { echo "fuzz.sh: no target '$t' (units expect scenario results report)" >&2; exit 2; }
  corpus="$root/corpus/$t" findings="$root/findings/$t"
  mkdir -p "$corpus" "$findings"
  seeds="$t"
  [[ "$t" == report ]] && seeds=results
  cp -n tests/fuzz/corpus/"$seeds"/* "$corpus"/ 2>/dev/null || true
  [[ "$t" == scenario ]] && cp -n scenarios/*.yaml tests/data/*.yaml "$corpus"/
  dict=()
  case "$t" in
    scenario | expect) dict=(-dict="$root/dict/scenario.dict") ;;
    *) [[ -f tests/fuzz/$t.dict ]] && dict=(-dict=tests/fuzz/$t.dict) ;;
  esac
  log="$root/$t.log"
  echo "== fuzz_$t for ${seconds} s (corpus $(ls "$corpus" | wc -l) files; log $log)"
  # -timeout: an input running 10 s is a hang; -rss_limit_mb: 2 GiB is an out-of-memory
  # finding (ASan's shadow memory included). Leaks are findings too (detect_leaks).
  if ! "$exe" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/" >"$log" 2>&1; then
    status=1
    echo "fuzz_$t: FINDING — see $log and $findings/" >&2
    grep -m5 -E 'ERROR|SUMMARY|Test unit written' "$log" >&2 || true
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  echo "fuzz_$t: ${execs} executions (${rate}/s), coverage ${cov} edges"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "$execs" "$rate" \
    "$cov" >>"$root/stats.tsv"
done
exit "$status"
