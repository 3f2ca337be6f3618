// The fault windows the live adapters apply, from the scenario and a run seed.
// INTERIM: computed here from `at`, `duration`, `every` and `repeat` until the one
// `Schedule` of sim/scenario/schedule.h lands; then this file becomes a thin view of it.
#pragma once

#include <cstdint>
#include <vector>

#include "adapters/vendor/engine.h"
#include "sim/scenario/scenario.h"

namespace faultline::vendor {

std::vector<LiveWindow> live_windows(const Scenario& scenario, std::uint64_t run_seed);

}  // namespace faultline::vendor
