// link_degradation: a link keeps working at a fraction of its bandwidth for a window —
// congestion from outside the scenario, a failover to a backup circuit. The SimGrid engine
// applies it as the link's bandwidth profile (a factor in (0, 1]). Network-level: the
// native engine rejects it.
#include "sim/model/registry.h"

namespace faultline {

namespace {
const RegisterFault registered{
    {{.name = "link_degradation",
      .summary =
          "a network link runs at a fraction of its bandwidth for a window (engine: simgrid)",
      .params = {{"target", ParamKind::kText, "", "the link (as for link_outage)"},
                 {"at", ParamKind::kTimePoint, "", "when the degradation starts"},
                 {"duration", ParamKind::kDuration, "1h", "how long it lasts"},
                 {"bandwidth", ParamKind::kProbability, "10%",
                  "the share of the nominal bandwidth left"}},
      .effect = "the link runs at `bandwidth` of its nominal bandwidth for the window",
      .calibration = "assumption",
      .network = true}}};
}  // namespace

}  // namespace faultline
