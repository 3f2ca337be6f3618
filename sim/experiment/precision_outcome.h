// What sequential sampling achieved, for results.json and the stdout summary: whether
// every precision target was met, after how many replications, in which rounds, and the
// widest half-width found for each target. Kept apart from sequential.h so the runner's
// result can carry it without including the driver.
#pragma once

#include <vector>

#include "sim/scenario/precision.h"

namespace faultline {

struct TargetOutcome {
  PrecisionTarget target;
  double achieved = 0;  // the widest half-width over points × strategies (NaN when n < 2)
  bool met = false;
  int needed = 0;  // replications the widest interval suggests: (t·sd / target)²
};

struct PrecisionOutcome {
  bool enabled = false;  // false: a fixed number of replications was run
  bool met = false;
  int replications = 0;  // where it stopped
  int max_replications = 0;
  std::vector<int> rounds;  // replications completed after each round
  std::vector<TargetOutcome> targets;
};

}  // namespace faultline
