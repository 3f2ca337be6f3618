// subscriber_suspension: carriers suspend numbers (prepaid churn, unpaid bills, SIM
// registration deadlines): a share of subscribers, suspended at onsets spread over the
// fault window, reactivated after an exponential time (or never). A suspended number
// receives no SMS — reminders and, on the payment side, one-time passwords.
// Calibration: prepaid churn 2.6–2.9 %/month (T-Mobile), 5.6 % (Sprint 2016); mass
// disconnections of ~20 % of prepaid subscribers after SIM-registration deadlines.
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const int carrier = world.carrier_index(p.text("target"));
  std::uint64_t salt = world.fault_stream();
  for (const Window& w : world.fault_windows(p))
    world.carriers().add_suspension(
        {carrier, w.start, w.end, p.number("share"), p.time("reactivation_mean"), salt += 16});
}
}  // namespace

Plugin subscriber_suspension_plugin() {
  return {{"subscriber_suspension",
           "a share of numbers is suspended over the window and cannot receive SMS",
           with_schedule({{"target", ParamKind::kCarrier, "*", "the carrier, or * for all"},
                          {"share", ParamKind::kProbability, "2.8%",
                           "of subscribers suspended (prepaid churn ~2.6-2.9 %/month)"},
                          {"reactivation_mean", ParamKind::kDuration, "0s",
                           "mean time to reactivation; 0 = not within the run"}},
                         "30d")},
          apply};
}

}  // namespace faultline
