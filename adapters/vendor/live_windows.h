// The fault windows the emulator applies: the scenario's one Schedule
// (sim/scenario/schedule.h) for a run seed, flattened to (fault, occurrence, start, end)
// — the same windows the simulator's replication with that seed uses.
#pragma once

#include <cstdint>
#include <vector>

#include "adapters/vendor/engine.h"
#include "sim/scenario/scenario.h"

namespace faultline::vendor {

std::vector<LiveWindow> live_windows(const Scenario& scenario, std::uint64_t run_seed);

}  // namespace faultline::vendor
