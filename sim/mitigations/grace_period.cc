// grace_period: the lender extends the grace period (e.g. during an incident it caused),
// so borrowers who pay within the longer window are late, not missed. Curing follows a
// constant hazard calibrated on the base grace (docs/model.md).
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const PluginUse& use, World& world) {
  const Scenario& s = world.scenario();
  const SimTime extra = use.params.time("extra");
  // Every obligation must still settle within the run.
  if (s.population.due_day_max > 0 &&
      (static_cast<SimTime>(s.population.due_day_max) + 1) * kDay + s.population.grace + extra >
          s.horizon) {
    const ParamValue& at = use.params.get("extra");
    throw PluginError(
        "grace_period.extra: the last due day (" + std::to_string(s.population.due_day_max) +
            ") plus grace (" + format_duration(s.population.grace) + ") plus the extension (" +
            format_duration(extra) + ") ends after the horizon (" + format_duration(s.horizon) +
            "); lengthen the horizon or shorten the extension",
        at.loc.line > 0 ? at.loc : use.loc);
  }
  world.lender().grace_period_extra = extra;
}

const RegisterMitigation registered{
    {{.name = "grace_period",
      .summary = "extend the grace period before a payment counts as missed",
      .params = {{"extra", ParamKind::kDuration, "5d", "added to population.grace"}},
      .effect = "grace extended by `extra`"},
     apply}};
}  // namespace

}  // namespace faultline
