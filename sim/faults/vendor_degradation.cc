// vendor_degradation: an SMS vendor keeps working, badly — extra latency per message, a
// lower send rate, or extra errors. Calibration: Vonage UK 2022 added 20–23 s per message
// for about three days, detected from a customer report.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const ParamSet& p = f.params;
  if (p.number("capacity") <= 0) throw std::invalid_argument("capacity must be above 0%");
  SmsVendor& v = sms.vendor(f.target);
  for (const Window& w : f.windows)
    v.add_degradation(
        {w.start, w.end, p.time("extra_latency"), p.number("capacity"), p.number("error_rate")});
}

const RegisterFault registered{
    {.info = {.name = "vendor_degradation",
              .summary = "an SMS vendor slows down, loses throughput or fails more often",
              .params = with_schedule({{"target", ParamKind::kVendor, "", "the degraded vendor"},
                                       {"extra_latency", ParamKind::kDuration, "20s",
                                        "added per message (Vonage 2022: +20-23 s)"},
                                       {"capacity", ParamKind::kProbability, "100%",
                                        "share of the normal send rate left"},
                                       {"error_rate", ParamKind::kProbability, "0%",
                                        "extra per-message failure probability"}},
                                      "3d"),
              .effect = "`extra_latency`, reduced `capacity`, extra `error_rate`",
              .calibration = "Vonage UK 2022: +20–23 s for ~3 days (A)"},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
