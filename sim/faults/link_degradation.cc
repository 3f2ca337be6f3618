// link_degradation: a link keeps working at a fraction of its bandwidth for a window —
// congestion from outside the scenario, a failover to a backup circuit. The SimGrid engine
// applies it as the link's bandwidth profile (a factor in (0, 1]). Network-level: the
// native engine rejects it.
#include "sim/faults/faults.h"

namespace faultline {

namespace {
// Nothing to change in the World: the fault lives in the SimGrid platform.
void apply(const ParamSet&, World&) {}
}  // namespace

Plugin link_degradation_plugin() {
  return {
      {"link_degradation",
       "a network link runs at a fraction of its bandwidth for a window (engine: simgrid)",
       {
           {"target", ParamKind::kText, "", "the link (as for link_outage)"},
           {"at", ParamKind::kTimePoint, "", "when the degradation starts"},
           {"duration", ParamKind::kDuration, "1h", "how long it lasts"},
           {"bandwidth", ParamKind::kProbability, "10%", "the share of the nominal bandwidth left"},
       }},
      apply};
}

}  // namespace faultline
