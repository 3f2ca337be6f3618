// load_surge: the app's traffic jumps by `factor` (a due-date rush, a campaign, everyone
// checking after an incident). Above capacity the backend sheds the excess: a request
// fails with probability 1 - capacity / load, until elastic_capacity catches up.
// Calibration: Steam 2015, +2,000 % traffic (factor 21).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  if (!(f.params.number("factor") >= 1))
    throw PluginError("factor: expected a multiplier >= 1", f.params.get("factor").loc);
  for (const Window& w : f.windows)
    world.payments().add_surge({w.start, w.end, f.params.number("factor")});
}

const RegisterFault registered{
    {{.name = "load_surge",
      .summary = "a traffic spike beyond the app backend's capacity: timeouts and errors",
      .params = with_schedule(
          {{"factor", ParamKind::kNumber, "21", "traffic multiplier (Steam 2015: +2,000 %)"}},
          "2h"),
      .effect = "the app's traffic × `factor` (21)",
      .calibration = "Steam 2015: +2,000 % (A/B)"},
     apply}};
}  // namespace

}  // namespace faultline
