// vendor_degradation: an SMS vendor keeps working, badly — extra latency per message, a
// lower send rate, or extra errors. Calibration: Vonage UK 2022 added 20–23 s per message
// for about three days, detected from a customer report. With `per: borrower` the extra
// errors hit a persistent share of numbers that the vendor keeps failing all through the
// window (a bad route to some ranges, numbers on a blocklist): a retry or resend through
// this vendor to such a number fails again (correlation.h).
#include "sim/faults/correlation.h"
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/sms_path.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, const SmsPath& sms) {
  const ParamSet& p = f.params;
  if (p.number("capacity") <= 0) throw std::invalid_argument("capacity must be above 0%");
  SmsVendor& v = sms.vendor(f.target);
  const Correlation c = correlation_of(p, "error_rate", World::fault_salt(f.index));
  for (const Window& w : f.windows)
    v.add_degradation({w.start, w.end, p.time("extra_latency"), p.number("capacity"),
                       c.attempt_rate, c.affected});
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  validate_correlation(use, "error_rate", file);
}

const RegisterFault registered{
    {.info = {.name = "vendor_degradation",
              .summary = "an SMS vendor slows down, loses throughput or fails more often",
              .params = with_schedule(
                  with_correlation({{"target", ParamKind::kVendor, "", "the degraded vendor"},
                                    {"extra_latency", ParamKind::kDuration, "20s",
                                     "added per message (Vonage 2022: +20-23 s)"},
                                    {"capacity", ParamKind::kProbability, "100%",
                                     "share of the normal send rate left"},
                                    {"error_rate", ParamKind::kProbability, "0%",
                                     "extra per-message failure probability"}}),
                  "3d"),
              .effect = "`extra_latency`, reduced `capacity`, extra `error_rate`; with `per: "
                        "borrower` the errors hit only `affected_share` of numbers, each "
                        "message to them failing with error_rate / affected_share (a resend "
                        "through this vendor to such a number fails again)",
              .calibration = "Vonage UK 2022: +20–23 s for ~3 days (A)",
              .validate = validate},
     .apply_sms = apply}};
}  // namespace

}  // namespace faultline
