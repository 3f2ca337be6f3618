// grace_period: the lender extends the grace period (e.g. during an incident it caused),
// so borrowers who pay within the longer window are late, not missed. Curing follows a
// constant hazard calibrated on the base grace (docs/model.md).
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  world.extend_grace(p.time("extra"));
}
}  // namespace

Plugin grace_period_plugin() {
  return {{"grace_period",
           "extend the grace period before a payment counts as missed",
           {{"extra", ParamKind::kDuration, "5d", "added to population.grace"}}},
          apply};
}

}  // namespace faultline
