// staged_cutover: move only a canary share of borrowers to the new core system first, and
// roll back when the alarm fires `rollback_after` the start: a core_cutover then silences
// the canary's reminders for that long instead of everyone's until someone notices.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  world.stage_cutover(p.number("canary"), p.time("rollback_after"));
}
}  // namespace

Plugin staged_cutover_plugin() {
  return {
      {"staged_cutover",
       "cut over a canary share first; roll back on the alarm",
       {{"canary", ParamKind::kProbability, "10%", "share of borrowers on the new system first"},
        {"rollback_after", ParamKind::kDuration, "2h", "time from the cutover to rollback"}}},
      apply};
}

}  // namespace faultline
