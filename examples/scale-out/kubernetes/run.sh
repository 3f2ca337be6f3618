#!/bin/bash
# Applies the shards Job, waits until every index completed, then runs the merge Job and
# copies the results out of the volume's pod (docs/scale-out.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kubectl apply -f "$here/study.yaml"
kubectl wait --for=condition=complete --timeout=24h job/faultline-shards
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=1h job/faultline-merge
kubectl logs job/faultline-merge
