// elastic_capacity: autoscaling of the app backend. When utilisation exceeds the target,
// capacity grows to carry the load at the target utilisation, up to max_factor times the
// base, after a reaction delay (detection plus instance start-up).
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  if (!(p.number("max_factor") >= 1))
    throw PluginError("max_factor: expected a multiplier >= 1", p.get("max_factor").loc);
  if (!(p.number("target_utilisation") > 0))
    throw PluginError("target_utilisation: must be above 0%", p.get("target_utilisation").loc);
  world.payments().enable_elastic(
      {p.number("max_factor"), p.time("reaction"), p.number("target_utilisation")});
}
}  // namespace

Plugin elastic_capacity_plugin() {
  return {{"elastic_capacity",
           "autoscale the app backend after a reaction delay",
           {{"max_factor", ParamKind::kNumber, "4",
             "largest capacity as a multiple of payments.backend.capacity"},
            {"reaction", ParamKind::kDuration, "10m", "from overload to added capacity"},
            {"target_utilisation", ParamKind::kProbability, "70%",
             "utilisation the autoscaler aims for"}}},
          apply};
}

}  // namespace faultline
