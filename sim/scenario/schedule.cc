#include "sim/scenario/schedule.h"

#include <algorithm>
#include <cmath>

#include "sim/random/stream.h"

namespace faultline {

ScheduleSpec ScheduleSpec::of(const ParamSet& p) {
  ScheduleSpec s;
  const auto& all = p.all();
  if (all.count("at")) s.at = p.time("at");
  if (all.count("duration")) s.duration = p.time("duration");
  if (all.count("every")) s.every = p.time("every");
  if (all.count("repeat")) s.repeat = static_cast<int>(p.number("repeat"));
  if (all.count("onset_spread")) s.onset_spread = p.time("onset_spread");
  if (all.count("group")) s.group = p.text("group");
  return s;
}

std::string ScheduleSpec::onset_stream(int index) const {
  return group == "-" ? "fault/" + std::to_string(index) : "fault-group/" + group;
}

bool ScheduledFault::active_at(SimTime t) const {
  for (const Window& w : windows)
    if (w.contains(t)) return true;
  return false;
}

namespace {

SimTime draw_onset(const ScheduleSpec& spec, int index, std::uint64_t run_seed) {
  if (spec.onset_spread <= 0) return 0;
  const KeyedRandom onset(run_seed, spec.onset_stream(index));
  return std::llround(onset.uniform01(0) * static_cast<double>(spec.onset_spread));
}

std::vector<Window> occurrences(const ScheduleSpec& spec, SimTime onset, SimTime horizon) {
  std::vector<Window> out;
  const SimTime start = spec.at + onset;
  for (int k = 0; k < spec.repeat; ++k) {
    const SimTime s = start + k * spec.every;
    if (s >= horizon) break;
    out.push_back({s, spec.duration == kTimeNever ? horizon : s + spec.duration});
  }
  return out;
}

}  // namespace

std::vector<Window> Schedule::windows_of(const ParamSet& params, int index, SimTime horizon,
                                         std::uint64_t run_seed) {
  const ScheduleSpec spec = ScheduleSpec::of(params);
  return occurrences(spec, draw_onset(spec, index, run_seed), horizon);
}

Schedule Schedule::build(std::span<const PluginUse> faults, SimTime horizon, bool draw,
                         std::uint64_t run_seed) {
  Schedule out;
  out.faults_.reserve(faults.size());
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const PluginUse& use = faults[i];
    ScheduledFault f;
    f.index = static_cast<int>(i);
    f.type = use.type;
    if (use.params.all().count("target")) f.target = use.params.text("target");
    f.params = use.params;
    f.loc = use.loc;
    f.spec = ScheduleSpec::of(use.params);
    f.onset = draw ? draw_onset(f.spec, f.index, run_seed) : 0;
    f.windows = occurrences(f.spec, f.onset, horizon);
    out.faults_.push_back(std::move(f));
  }
  return out;
}

Schedule Schedule::of(const Scenario& scenario, std::uint64_t run_seed) {
  return build(scenario.faults, scenario.horizon, true, run_seed);
}

Schedule Schedule::of(std::span<const PluginUse> faults, SimTime horizon, std::uint64_t run_seed) {
  return build(faults, horizon, true, run_seed);
}

Schedule Schedule::nominal(std::span<const PluginUse> faults, SimTime horizon) {
  return build(faults, horizon, false, 0);
}

std::vector<Transition> Schedule::transitions() const {
  std::vector<Transition> out;
  for (const ScheduledFault& f : faults_) {
    // Windows are in time order; merge the ones that overlap or touch.
    for (std::size_t k = 0; k < f.windows.size();) {
      const SimTime start = f.windows[k].start;
      SimTime end = f.windows[k].end;
      for (++k; k < f.windows.size() && f.windows[k].start <= end; ++k)
        end = std::max(end, f.windows[k].end);
      if (end <= start) continue;  // a zero-length window never switches anything
      out.push_back({start, f.index, true});
      out.push_back({end, f.index, false});
    }
  }
  std::sort(out.begin(), out.end(), [](const Transition& a, const Transition& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.on != b.on) return !a.on;  // offs first
    return a.fault < b.fault;
  });
  return out;
}

Schedule Schedule::shifted(SimTime by) const {
  Schedule out = *this;
  for (ScheduledFault& f : out.faults_) {
    std::vector<Window> kept;
    for (const Window& w : f.windows)
      if (w.end == kTimeNever || w.end - by > 0)
        kept.push_back({w.start - by, w.end == kTimeNever ? kTimeNever : w.end - by});
    f.windows = std::move(kept);
  }
  return out;
}

}  // namespace faultline
