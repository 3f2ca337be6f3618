#include "adapters/vendor/live_windows.h"

#include "sim/scenario/schedule.h"

namespace faultline::vendor {

std::vector<LiveWindow> live_windows(const Scenario& scenario, std::uint64_t run_seed) {
  std::vector<LiveWindow> out;
  const Schedule schedule =
      Schedule::of(scenario, run_seed);  // not a temporary: faults() is a view
  for (const ScheduledFault& f : schedule.faults())
    for (std::size_t k = 0; k < f.windows.size(); ++k)
      out.push_back({f.index, static_cast<int>(k), f.windows[k].start, f.windows[k].end});
  return out;
}

}  // namespace faultline::vendor
