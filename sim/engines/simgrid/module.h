// The SimGrid engine's loadable module (libfaultline_simgrid.so): everything that links
// SimGrid (and its ns-3 libraries) lives there, so a process pays SimGrid's ~25 ms of
// dynamic loading only when a scenario says `engine: simgrid` (docs/performance.md).
// run_simgrid (engine.cc) dlopen()s the module once, in the parent, and calls its one
// entry point in each forked child. SimGrid-free, like engine.h.
#pragma once

#include <cstdint>
#include <string>

#include "sim/model/population.h"
#include "sim/scenario/scenario.h"

namespace faultline::simgrid_engine {

// One run, in the forked child: the output or the error, encoded for the pipe (wire.h).
// It never throws: exceptions are encoded, because the module's copies of the error types
// are not the caller's (the module links its own copy of the model).
using ChildEntry = void (*)(const Scenario& scenario, const Population& population,
                            const StrategySpec& strategy, std::uint64_t run_seed, bool log,
                            std::string& bytes);

inline constexpr char kChildEntrySymbol[] = "faultline_simgrid_child";
inline constexpr char kModuleFile[] = "libfaultline_simgrid.so";

}  // namespace faultline::simgrid_engine
