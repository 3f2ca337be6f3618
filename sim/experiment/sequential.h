// Sequential sampling's rule: after a round, are the precision targets met — the
// confidence-interval half-width of each named metric, for every strategy at every sweep
// point, at or below its target — and if not, how many replications in all should the
// next round reach. The rounds themselves are the pipeline's one replication loop
// (sim/pipeline/experiment.h), shared with `inconclusive: extend`. Each decision reads
// only the completed replications 0..n-1 (whose records do not depend on --jobs), so the
// number of replications, and every output, is the same for any job count.
#pragma once

#include <span>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/scenario/precision.h"

namespace faultline {

// The targets checked against the first `replications` replications of every point.
std::vector<TargetOutcome> check_precision(std::span<const SweepPoint> points,
                                           const ExperimentResult& result,
                                           const std::vector<PrecisionTarget>& targets,
                                           double confidence);

// The size of the next round's total: what the widest interval needs, but at least a
// quarter more (and 2) than now and at most double (a small sample's sd is itself noisy:
// doubling bounds the overshoot), and never past the maximum.
int next_replications(int current, const std::vector<TargetOutcome>& outcomes,
                      int max_replications);

}  // namespace faultline
