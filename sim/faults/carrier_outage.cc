// carrier_outage: a carrier's network is down in a region; SMS centres hold messages and
// deliver them as the network comes back and drains (or the validity runs out first).
// Calibration: AT&T, 22 Feb 2024 (FCC 2024): at least 12 h; most subscribers reconnected
// in about 2 h, congestion for about 10 h more.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const int carrier = sms.carrier_index(f.target);
  for (const Window& w : f.windows)
    sms.carriers.add_outage({carrier, w.start, w.end, f.params.time("drain")});
}

const RegisterFault registered{
    {.info = {.name = "carrier_outage",
              .summary = "a carrier (region) cannot deliver; held messages arrive as it drains",
              .params =
                  with_schedule({{"target", ParamKind::kCarrier, "*", "the carrier, or * for all"},
                                 {"drain", ParamKind::kDuration, "2h",
                                  "held messages arrive spread over this long after the end"}},
                                "12h"),
              .effect = "a carrier holds messages; delivered as it drains",
              .calibration = "AT&T 22 Feb 2024: ≥ 12 h, most back in ~2 h (FCC — A/B)"},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
