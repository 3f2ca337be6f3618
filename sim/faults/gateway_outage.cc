// gateway_outage: a payment rail (card gateway, quick-pay/NFC, open banking) is down or
// declines a share of attempts. Calibration: Visa Europe 1 June 2018, 10 h 10 min, 8.7 %
// of UK attempts failed (Visa letter 2018); everyday technical declines 1.9–3.7 % (NPCI).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const int rail = world.rail_index(p.get("rail"));
  for (const Window& w : world.fault_windows(p))
    world.payments().add_gateway_outage(
        {rail, w.start, w.end, p.number("error_rate"), world.fault_stream()});
}
}  // namespace

Plugin gateway_outage_plugin() {
  return {{"gateway_outage", "a payment rail is down or fails a share of attempts",
           with_schedule({{"rail", ParamKind::kText, "",
                           "the rail, as declared under payments.rails (default: card)"},
                          {"error_rate", ParamKind::kProbability, "100%",
                           "share of attempts that fail (100% = down)"}},
                         "2h")},
          apply};
}

}  // namespace faultline
