// subscriber_suspension: carriers suspend numbers (prepaid churn, unpaid bills, SIM
// registration deadlines): a share of subscribers, suspended at onsets spread over the
// fault window, reactivated after an exponential time (or never). A suspended number
// receives no SMS — reminders and, on the payment side, one-time passwords.
// Calibration: prepaid churn 2.6–2.9 %/month (T-Mobile), 5.6 % (Sprint 2016); mass
// disconnections of ~20 % of prepaid subscribers after SIM-registration deadlines.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const int carrier = sms.carrier_index(f.target);
  std::uint64_t salt = World::fault_salt(f.index);
  for (const Window& w : f.windows)
    sms.carriers.add_suspension({carrier, w.start, w.end, f.params.number("share"),
                                 f.params.time("reactivation_mean"), salt += 16});
}

const RegisterFault registered{
    {.info = {.name = "subscriber_suspension",
              .summary = "a share of numbers is suspended over the window and cannot receive SMS",
              .params =
                  with_schedule({{"target", ParamKind::kCarrier, "*", "the carrier, or * for all"},
                                 {"share", ParamKind::kProbability, "2.8%",
                                  "of subscribers suspended (prepaid churn ~2.6-2.9 %/month)"},
                                 {"reactivation_mean", ParamKind::kDuration, "0s",
                                  "mean time to reactivation; 0 = not within the run"}},
                                "30d"),
              .effect =
                  "a `share` of numbers suspended at onsets spread over the window; "
                  "`reactivation_mean`; no SMS reaches them (reminders nor one-time passwords)",
              .calibration = "prepaid churn 2.6–2.9 %/month, Sprint 5.6 %; ~20 % after "
                             "SIM-registration deadlines (B/C)"},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
