// risk_false_positive: a risk-control rule is mis-tuned and blocks a share of legitimate
// borrowers for the whole window (the same profiles each time, so retrying does not
// help). Calibration: 15 % of US cardholders had at least one false decline in a year
// (Javelin 2015).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  for (const Window& w : f.windows)
    world.payments().add_risk_window(
        {w.start, w.end, f.params.number("rate"), World::fault_salt(f.index)});
}

const RegisterFault registered{
    {{.name = "risk_false_positive",
      .summary = "risk control blocks legitimate payments of a share of borrowers",
      .params = with_schedule(
          {{"rate", ParamKind::kProbability, "5%", "of borrowers the mis-tuned rule blocks"}},
          "1d"),
      .effect = "a mis-tuned rule blocks `rate` (5 %) of borrowers all through the window",
      .calibration = "Javelin 2015: 15 % of cardholders a year (B)"},
     apply}};
}  // namespace

}  // namespace faultline
