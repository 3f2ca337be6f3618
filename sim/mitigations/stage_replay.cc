// stage_replay: a staged cutover — the bulk replay is split into `stages` equal parts,
// started `every` apart from the fault's `at` (e.g. one per night), instead of all at
// once. A stage that fits between batches never meets one. The SimGrid engine applies it
// to every bulk_transfer. Network-level: the native engine rejects it.
#include "sim/mitigations/mitigations.h"

namespace faultline {

namespace {
// Nothing to change in the World: the mitigation lives in the SimGrid engine.
void apply(const ParamSet&, World&) {}
}  // namespace

Plugin stage_replay_plugin() {
  return {{"stage_replay",
           "replay bulk transfers in stages spread over time (engine: simgrid)",
           {
               {"stages", ParamKind::kInteger, "4", "equal parts"},
               {"every", ParamKind::kDuration, "24h", "time between the starts of two stages"},
           }},
          apply};
}

}  // namespace faultline
