// app_version_incompatibility: an app release garbles the repayment screen for the share
// of app users who updated, from the release (`at`) until the hot fix (`duration`). Web
// payments and link payments are unaffected, so some borrowers switch to the web
// (payments.retry.switch_channel). The car-loan "information lost" incident.
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  for (const Window& w : world.fault_windows(p))
    world.payments().add_version_bug({w.start, w.end, p.number("share"), world.fault_stream()});
}
}  // namespace

Plugin app_version_incompatibility_plugin() {
  return {{"app_version_incompatibility",
           "an app version garbles the repayment screen for those who updated",
           with_schedule(
               {{"share", ParamKind::kProbability, "25%", "of app users on the broken version"}},
               "3d")},
          apply};
}

}  // namespace faultline
