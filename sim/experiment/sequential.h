// Sequential sampling: run replications in rounds until every precision target is met —
// the confidence-interval half-width of each named metric, for every strategy at every
// sweep point, at or below its target — or the maximum is reached. Each decision reads
// only the completed replications 0..n-1 (whose records do not depend on --jobs), so the
// number of replications, and every output, is the same for any job count. Replication
// r has the same seed as in a fixed-size run: stopping at n gives exactly the records of
// `--replications n`.
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

// Runs rounds from the scenario's `replications` (at least 2) until the precision targets
// of `spec` are met or spec.max_replications is reached. options.on_total hears of each
// round's planned total; options.first_replication/replication_count are ignored.
ExperimentResult run_sequential(std::span<const SweepPoint> points, const PrecisionSpec& spec,
                                const ExperimentOptions& options, PrecisionOutcome& outcome);

}  // namespace faultline
