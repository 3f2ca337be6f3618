// rate_limit_export: the cutover's bulk replay is throttled to `rate` (a token bucket on
// the replay host), so the reminder batch keeps the rest of the shared link. The SimGrid
// engine puts a link of bandwidth `rate` in front of every bulk_transfer's route
// (sim/engines/simgrid/platform.cc). Network-level: the native engine rejects it.
#include "sim/mitigations/mitigations.h"

namespace faultline {

namespace {
// Nothing to change in the World: the mitigation lives in the SimGrid platform.
void apply(const ParamSet&, World&) {}
}  // namespace

Plugin rate_limit_export_plugin() {
  return {{"rate_limit_export",
           "throttle bulk transfers (the cutover replay) to a rate (engine: simgrid)",
           {
               {"rate", ParamKind::kText, "", "the cap for all streams together, e.g. 10Mbps"},
           }},
          apply};
}

}  // namespace faultline
