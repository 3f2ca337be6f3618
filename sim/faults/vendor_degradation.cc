// vendor_degradation: an SMS vendor keeps working, badly — extra latency per message, a
// lower send rate, or extra errors. Calibration: Vonage UK 2022 added 20–23 s per message
// for about three days, detected from a customer report.
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  if (p.number("capacity") <= 0) throw std::invalid_argument("capacity must be above 0%");
  SmsVendor& v = world.vendor(p.text("target"));
  for (const Window& w : world.fault_windows(p))
    v.add_degradation(
        {w.start, w.end, p.time("extra_latency"), p.number("capacity"), p.number("error_rate")});
}
}  // namespace

Plugin vendor_degradation_plugin() {
  return {
      {"vendor_degradation", "an SMS vendor slows down, loses throughput or fails more often",
       with_schedule(
           {{"target", ParamKind::kVendor, "", "the degraded vendor"},
            {"extra_latency", ParamKind::kDuration, "20s",
             "added per message (Vonage 2022: +20-23 s)"},
            {"capacity", ParamKind::kProbability, "100%", "share of the normal send rate left"},
            {"error_rate", ParamKind::kProbability, "0%", "extra per-message failure probability"}},
           "3d")},
      apply};
}

}  // namespace faultline
