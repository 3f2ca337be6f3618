#!/usr/bin/env bash
# The peers of the reference workload print the loop's counts (issue 21): the streaming
# and preloading loops, SimGrid's timers (both modes) and the SimPy model (both modes),
# at a few small sizes and two seeds — every draw is keyed, so the counts must be equal,
# not close. Also checks events = reminders + delivered + paid = 2 N + paid.
#   check_counts.sh REFERENCE_RUN SIMGRID_TIMERS SIMPY_REFERENCE_PY
set -euo pipefail
reference_run=$1 simgrid_timers=$2 simpy=$3
python=/usr/bin/python3
if ! $python -c 'import SimPy.Simulation' 2>/dev/null; then
  echo "check_counts: SimPy 2 is missing: install python3-simpy (scripts/setup.sh --test)" >&2
  exit 1
fi

failures=0
for args in "0" "1" "2000" "5000 7" "10000"; do
  # shellcheck disable=SC2086  # args is "N [SEED]"
  expected=$("$reference_run" stream $args)
  read -r n _ <<<"$args"
  paid=$(sed -n 's/.* paid=\([0-9]*\) .*/\1/p' <<<"$expected")
  workload="borrowers=$n events=$((2 * n + paid)) reminders=$n delivered=$n paid=$paid"
  if [[ "$expected" != "$workload missed=$((n - paid))" ]]; then
    echo "FAIL: the streaming loop's counts are not the workload's at '$args': $expected" >&2
    failures=$((failures + 1))
  fi
  for tool in "$reference_run preload" "$simgrid_timers preload" "$simgrid_timers chain" \
    "$python $simpy preload" "$python $simpy source"; do
    # shellcheck disable=SC2086
    got=$($tool $args)
    if [[ "$got" != "$expected" ]]; then
      echo "FAIL: $tool $args" >&2
      echo "  expected $expected" >&2
      echo "  got      $got" >&2
      failures=$((failures + 1))
    fi
  done
  echo "ok N=$args: $expected"
done
# Bad input is a usage error, exit 2, from each tool.
for tool in "$reference_run stream" "$simgrid_timers chain" "$python $simpy source"; do
  status=0
  # shellcheck disable=SC2086
  $tool -5 >/dev/null 2>&1 || status=$?
  if [[ $status -ne 2 ]]; then
    echo "FAIL: '$tool -5' exited $status, expected 2" >&2
    failures=$((failures + 1))
  fi
done
exit $((failures > 0))
