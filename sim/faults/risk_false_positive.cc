// risk_false_positive: a risk-control rule is mis-tuned and blocks a share of legitimate
// borrowers for the whole window (the same profiles each time, so retrying does not
// help). Calibration: 15 % of US cardholders had at least one false decline in a year
// (Javelin 2015).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  for (const Window& w : world.fault_windows(p))
    world.payments().add_risk_window({w.start, w.end, p.number("rate"), world.fault_stream()});
}
}  // namespace

Plugin risk_false_positive_plugin() {
  return {{"risk_false_positive", "risk control blocks legitimate payments of a share of borrowers",
           with_schedule(
               {{"rate", ParamKind::kProbability, "5%", "of borrowers the mis-tuned rule blocks"}},
               "1d")},
          apply};
}

}  // namespace faultline
