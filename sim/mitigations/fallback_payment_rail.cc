// fallback_payment_rail: an attempt that the borrower's rail declines or errors on is
// routed once, at once, to another rail (e.g. quick-pay → card). The fallback rail's own
// declines and outages still apply.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const int to = world.rail_index(p.get("rail"));
  const int from = p.text("from") == "*" ? -1 : world.rail_index(p.get("from"));
  if (from == to)
    throw PluginError("from: the fallback rail must differ from the rail it backs up",
                      p.get("from").loc);
  world.payments().set_fallback_rail(from, to);
}
}  // namespace

Plugin fallback_payment_rail_plugin() {
  return {
      {"fallback_payment_rail",
       "route a failed attempt once to another payment rail",
       {{"rail", ParamKind::kText, "", "the rail to fall back to, declared under payments.rails"},
        {"from", ParamKind::kText, "*", "the rail it backs up (* = every other rail)"}}},
      apply};
}

}  // namespace faultline
