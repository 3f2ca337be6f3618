// app_version_incompatibility: an app release garbles the repayment screen for the share
// of app users who updated, from the release (`at`) until the hot fix (`duration`). Web
// payments and link payments are unaffected, so some borrowers switch to the web
// (payments.retry.switch_channel). The car-loan "information lost" incident.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  for (const Window& w : f.windows)
    world.payments().add_version_bug(
        {w.start, w.end, f.params.number("share"), World::fault_salt(f.index)});
}

const RegisterFault registered{
    {{.name = "app_version_incompatibility",
      .summary = "an app version garbles the repayment screen for those who updated",
      .params = with_schedule(
          {{"share", ParamKind::kProbability, "25%", "of app users on the broken version"}}, "3d"),
      .effect = "a `share` (25 %) of app users get a garbled repayment screen",
      .calibration = "the car-loan incident (assumption for the share)"},
     apply}};
}  // namespace

}  // namespace faultline
