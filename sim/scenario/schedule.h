// The fault schedule: when each fault of a scenario is on. A fault's schedule parameters
// (`at`, `duration`, `every`, `repeat`, `onset_spread`, `group`; sim/faults/schedule.h
// declares them) become a list of windows [start, end) in SimTime. This is the one
// place that turns them into windows: the model (World), results.json and the report's
// timeline, the SimGrid platform (link state and bandwidth profiles, bulk transfers) and
// the live adapters (which switch faults on and off in scaled wall-clock time) all read
// the same Schedule, so they cannot disagree.
//
// Usage, without a World:
//
//   const Schedule schedule = Schedule::of(scenario, run_seed);
//   for (const ScheduledFault& f : schedule.faults())       // in the scenario's order
//     for (const Window& w : f.windows) switch_on(f.type, f.target, f.params, w);
//   for (const Transition& t : schedule.transitions()) ...  // or: every on/off edge, in time order
//
// Rules (they pin the numbers every published result depends on):
// - The first occurrence starts at `at` plus the onset: with `onset_spread` > 0, an offset
//   drawn uniformly in [0, onset_spread) once per run, rounded to the microsecond, from the
//   keyed stream "fault/<index>" (the fault's position in `faults:`), or "fault-group/<group>"
//   when the fault names a `group` — faults of one group share the draw (correlated
//   failures). Draw: KeyedRandom(run_seed, name).uniform01(0).
// - Occurrence k (0 ≤ k < `repeat`) is [start + k·every, start + k·every + duration).
//   Occurrences starting at or after the horizon are dropped; ends are not clipped.
// - Absent parameters (network faults declare fewer): `at` 0, `repeat` 1, no spread, and
//   without `duration` a window that lasts until the horizon.
// Windows of one fault may overlap (duration > every); transitions() merges them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/scenario/params.h"
#include "sim/scenario/scenario.h"

namespace faultline {

// [start, end): a fault is on from `start` (inclusive) to `end` (exclusive).
struct Window {
  SimTime start;
  SimTime end;
  bool contains(SimTime t) const { return t >= start && t < end; }
};

// A fault's schedule parameters as written (absent ones at their neutral values).
struct ScheduleSpec {
  SimTime at = 0;
  SimTime duration = kTimeNever;  // kTimeNever: no `duration` parameter (until the horizon)
  SimTime every = kDay;
  int repeat = 1;
  SimTime onset_spread = 0;
  std::string group = "-";  // "-": no group

  static ScheduleSpec of(const ParamSet& params);
  // The keyed stream of the onset draw: "fault/<index>" or "fault-group/<group>".
  std::string onset_stream(int index) const;
};

// One fault of the scenario with its windows in one run.
struct ScheduledFault {
  int index = 0;       // position in the scenario's `faults:` list
  std::string type;    // e.g. "vendor_outage"
  std::string target;  // the `target` parameter as written; empty when the fault has none
  ParamSet params;     // every parameter, defaults filled in (a copy: no lifetime ties)
  SourceLoc loc;       // where the fault is written
  ScheduleSpec spec;
  SimTime onset = 0;            // the drawn onset offset, in [0, onset_spread); 0 without a spread
  std::vector<Window> windows;  // in time order

  bool active_at(SimTime t) const;
};

// A fault switching on or off (overlapping windows of one fault merged).
struct Transition {
  SimTime at;
  int fault;  // index into Schedule::faults()
  bool on;
};

class Schedule {
 public:
  // The windows of every fault of the scenario in the run with this seed.
  static Schedule of(const Scenario& scenario, std::uint64_t run_seed);
  // The same for a list of faults (e.g. a sweep point's) and a horizon.
  static Schedule of(std::span<const PluginUse> faults, SimTime horizon, std::uint64_t run_seed);
  // What the scenario says before any draw: onsets at `at` (no spread drawn). For
  // describing a scenario (results.json, the report), not for running it.
  static Schedule nominal(std::span<const PluginUse> faults, SimTime horizon);
  // The windows of one fault given its parameters and its position in `faults:`.
  static std::vector<Window> windows_of(const ParamSet& params, int index, SimTime horizon,
                                        std::uint64_t run_seed);

  const std::vector<ScheduledFault>& faults() const { return faults_; }
  const ScheduledFault& fault(std::size_t index) const { return faults_.at(index); }
  // Every on/off edge, by time; at one instant offs come before ons, then by fault index.
  std::vector<Transition> transitions() const;
  // The same windows seen from `by` later (population.cycles: cycle k's run starts at
  // k · cycle): every window moves back by `by`, and windows over before 0 are dropped.
  Schedule shifted(SimTime by) const;

 private:
  static Schedule build(std::span<const PluginUse> faults, SimTime horizon, bool draw,
                        std::uint64_t run_seed);
  std::vector<ScheduledFault> faults_;
};

}  // namespace faultline
