// The SimGrid engine's entry point: one run (a strategy of a replication) simulated with
// the scenario's infrastructure as a SimGrid platform. SimGrid holds one simulation per
// process, so every run happens in a child process forked for it: the parent never
// initialises SimGrid, and a run's output comes back over a pipe (wire.cc). The
// experiment runner calls this from its `--jobs` worker threads, which makes them a
// process pool of `--jobs` children; records land in the same slots as native runs, so
// outputs are byte-identical for any `--jobs`.
#pragma once

#include <cstdint>

#include "sim/model/population.h"
#include "sim/model/world.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct SimgridRunOutput {
  RunOutput run;
  std::uint32_t network_lost = 0;   // legs the network lost (link down)
  std::uint64_t comms = 0;          // SimGrid communications started for legs
  std::uint64_t lost_at_start = 0;  // legs whose route was down when they started
  std::uint64_t late_starts = 0;    // legs started within the causal quantum (transport.h)
};

// One run in a forked child; `log` lets SimGrid's own log messages through (quiet,
// critical only, otherwise: `faultline run --verbose`). Rethrows in the caller what the run threw:
// ScenarioError (e.g. a name missing from a platform file), RunLimitError, or std::runtime_error (a
// crash of the child, with the signal and the run seed).
SimgridRunOutput run_simgrid(const Scenario& scenario, const Population& population,
                             const StrategySpec& strategy, std::uint64_t run_seed,
                             bool log = false);

}  // namespace faultline
