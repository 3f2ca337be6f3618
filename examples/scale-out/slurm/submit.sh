#!/bin/bash
# Runs a faultline study on Slurm: each wave as an array job of SHARD_COUNT tasks, then
# the merge; a merge that exits 4 (sequential precision wants more replications) starts
# the next wave from its plan, until the merge writes the results (docs/scale-out.md).
# Run it on a login node from the folder holding the scenarios; it waits for each job
# (sbatch --wait). Without sequential precision there is one wave, and
#   jid=$(sbatch --parsable shard.sbatch); sbatch --dependency=afterok:$jid merge.sbatch
# does the same without waiting.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export FAULTLINE="${FAULTLINE:-faultline}"
export SCENARIO="${SCENARIO:-scenarios/flagship-vendor-outage.yaml}"
export SHARDS_ROOT="${SHARDS_ROOT:-out/shards}"
export OUT="${OUT:-out/results}"
SHARD_COUNT="${SHARD_COUNT:-10}"
STUDY_ARGS="${STUDY_ARGS:-}"  # e.g. --until-ci-halfwidth missed_payment_rate=0.05%
for wave in $(seq 1 20); do
  export SHARDS="$SHARDS_ROOT/wave$wave"
  export FAULTLINE_ARGS="$STUDY_ARGS"
  if ((wave > 1)); then FAULTLINE_ARGS="$STUDY_ARGS --wave $OUT"; fi
  sbatch --wait --array="0-$((SHARD_COUNT - 1))" "$here/shard.sbatch"
  status=0
  sbatch --wait "$here/merge.sbatch" || status=$?
  if ((status == 0)); then
    echo "results: $OUT/results.json, report: $OUT/report.html"
    exit 0
  fi
  if ((status != 4)); then
    echo "merge failed (exit $status); see faultline-merge-*.out" >&2
    exit "$status"
  fi
  echo "wave $wave merged; sequential precision asks for another wave ($OUT/next-wave.json)"
done
echo "gave up after 20 waves" >&2
exit 1
