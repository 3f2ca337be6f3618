// load_surge: the app's traffic jumps by `factor` (a due-date rush, a campaign, everyone
// checking after an incident). Above capacity the backend sheds the excess: a request
// fails with probability 1 - capacity / load, until elastic_capacity catches up.
// Calibration: Steam 2015, +2,000 % traffic (factor 21).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  if (!(p.number("factor") >= 1))
    throw PluginError("factor: expected a multiplier >= 1", p.get("factor").loc);
  for (const Window& w : world.fault_windows(p))
    world.payments().add_surge({w.start, w.end, p.number("factor")});
}
}  // namespace

Plugin load_surge_plugin() {
  return {{"load_surge", "a traffic spike beyond the app backend's capacity: timeouts and errors",
           with_schedule(
               {{"factor", ParamKind::kNumber, "21", "traffic multiplier (Steam 2015: +2,000 %)"}},
               "2h")},
          apply};
}

}  // namespace faultline
