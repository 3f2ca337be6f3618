// link_expiry: payment links in reminders are validated with a TTL shorter than the time
// from reminder to action (a config change, a token service default), or against a
// skewed clock. Calibration: Stripe Checkout links default to 24 h (settable 30 min – 24 h);
// borrowers act a mean of pay_delay_mean (6 h) after seeing a reminder.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  for (const Window& w : f.windows)
    world.payments().add_link_expiry({w.start, w.end, f.params.time("ttl"), f.params.time("skew")});
}

const RegisterFault registered{
    {{.name = "link_expiry",
      .summary = "reminder payment links expire before borrowers use them (short TTL, clock skew)",
      .params = with_schedule(
          {{"ttl", ParamKind::kDuration, "30m", "token lifetime enforced during the window"},
           {"skew", ParamKind::kDuration, "0s", "the validator's clock runs this far ahead"}},
          "3d"),
      .effect = "links validated with `ttl` (30 min) and a clock `skew`",
      .calibration = "Stripe default 24 h (A); borrowers act a mean 6 h after seeing a reminder"},
     apply}};
}  // namespace

}  // namespace faultline
